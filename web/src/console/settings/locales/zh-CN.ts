// Strings of the console's settings screens.
export default {
  settings: {
    tenant: {
      title: '单位信息',
      name: '单位名称',
      logo: '单位标志',
      logoHint: '显示在管理后台左上角。支持 PNG、JPEG、SVG,建议正方形、不超过 1 MB。',
      upload: '上传标志',
      remove: '移除标志',
      noLogo: '未设置标志,显示安全闭环默认图标',
      tooLarge: '文件超过 1 MB,请压缩后再上传',
      notImage: '请选择 PNG、JPEG 或 SVG 图片',
      saved: '单位信息已保存',
    },
  },
}

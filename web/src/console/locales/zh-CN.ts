// Strings of the console shell (Element Plus).
export default {
  c: {
    title: '管理后台',
    menu: {
      home: '工作台',
      org: '组织架构',
      departments: '部门',
      teams: '班组',
      positions: '岗位',
      users: '人员',
      settings: '系统设置',
      tenant: '单位信息',
      import: '批量导入',
    },
    header: {
      collapse: '收起菜单',
      expand: '展开菜单',
      userMenu: '用户菜单',
      profile: '个人信息',
      toMobile: '切换到手机版',
    },
    login: {
      title: '登录管理后台',
      submit: '登录',
      subtitle: '安全生产管理系统',
    },
    home: {
      welcome: '{name},欢迎回来',
      tenant: '单位:{tenant}',
      roles: '角色:{roles}',
      modules: '可用模块',
      noModules: '您的账号暂未开通任何管理模块。如需权限,请联系系统管理员。',
      moreSoon: '隐患、巡检、作业票等模块安装后会出现在左侧菜单中。',
      useMobile: '上报隐患、扫码巡检等日常操作请使用手机版',
      open: '进入',
    },
    forbidden: {
      title: '无权访问',
      body: '您的账号没有打开此页面的权限。如需开通,请联系系统管理员。',
      home: '返回工作台',
    },
    notFound: {
      title: '页面不存在',
      body: '链接可能已失效,请从左侧菜单进入。',
    },
  },
}

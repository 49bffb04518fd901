/** Route names later modules register; the home and scan screens enable their actions when they exist. */
export const FEATURE_ROUTES = {
  hazardReport: 'hazard-report',
  hazardList: 'hazard-list',
  hazardDetail: 'hazard-detail',
  inspectionPoint: 'inspection-point',
} as const

export * from './hash'
export * from './upload'
export * from './image'

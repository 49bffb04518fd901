/** A locale tree shaped like `T` whose leaves are strings: other locales must have exactly the same keys. */
export type LocaleShape<T> = { [K in keyof T]: T[K] extends string ? string : LocaleShape<T[K]> }

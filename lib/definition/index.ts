export * from './column-type';
export * from './define';
export * from './duration';
export * from './schema';

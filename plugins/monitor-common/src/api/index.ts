export * from './models';
export * from './requests';
export * from './routes';
export * from './signals';

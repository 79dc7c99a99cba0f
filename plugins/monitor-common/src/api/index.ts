export * from './models';
export * from './runMarks';
export * from './requests';
export * from './routes';
export * from './signals';

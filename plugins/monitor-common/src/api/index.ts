export * from './models';
export * from './responses';
export * from './runMarks';
export * from './requests';
export * from './routes';
export * from './signals';

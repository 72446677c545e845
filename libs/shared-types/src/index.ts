export * from './error-codes';
export * from './room';
export * from './message';
export * from './rest';
export * from './chat-events';
export * from './text';
export * from './envelope';

export * from './schema';
export * from './problems';
export * from './loader';
export * from './regions';
export { checkInvariants } from './invariants';
export { DEFAULT_CONFIG } from './default-config';
export * from './naming';

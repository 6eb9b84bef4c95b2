export * from './passwords.ts';
export * from '../../../core/src/auth/common-passwords.ts';
export * from './jwt.ts';
export * from './api-tokens.ts';
export * from './bearer.ts';
export * from './counter-store.ts';
export * from './login-throttle.ts';

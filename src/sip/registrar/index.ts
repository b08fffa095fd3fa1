/** The registrar (RFC 3261 §10.3) and the REGISTER pipeline that puts Digest in front of it. */
export * from './binding-store.js';
export * from './binding-update.js';
export * from './memory-binding-store.js';
export * from './register-pipeline.js';
export * from './register-refusal.js';
export * from './registrar.js';
export * from './requested-contact.js';
export * from './buffered-binding-store.js';

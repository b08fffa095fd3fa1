/** Typed SIP header accessors, one module per header family. */
export * from './auth.js';
export * from './call-id.js';
export * from './contact-params.js';
export * from './content-length.js';
export * from './content-type.js';
export * from './cseq.js';
export * from './date.js';
export * from './expires.js';
export { quote, unquote } from './grammar.js';
export * from './list.js';
export * from './max-forwards.js';
export * from './name-addr.js';
export * from './option-tags.js';
export * from './reason.js';
export * from './user-agent.js';
export * from './via.js';

/** Digest authentication (RFC 7616, RFC 8760, RFC 3261 §22) and brute-force throttling. */
export * from './auth-events.js';
export * from './auth-guard.js';
export * from './brute-force-throttle.js';
export * from './challenged-username.js';
export * from './digest-algorithm.js';
export * from './digest-authenticator.js';
export * from './digest-client.js';
export * from './digest-credentials.js';
export * from './nonce-count.js';
export * from './nonce.js';
export * from './source-address.js';
export * from './response-tag.js';

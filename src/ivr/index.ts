/** The IVR engine: sans-IO steps (collect digits, menus, prompts, flows) and the prompt catalog. See README.md. */
export * from './collect-digits.js';
export * from './dtmf-keys.js';
export * from './ivr-flow.js';
export * from './ivr-types.js';
export * from './language.js';
export * from './menu.js';
export * from './number-words.js';
export * from './play-prompts.js';
export * from './plural-rules.js';
export * from './prompt-catalog.js';
export * from './prompt-phrases.js';
export * from './say-number.js';
export * from './wav-info.js';

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { errorText, parseRequestLine, responseLine } from '../../../src/app/control/control-request.js';

test('reads id, method and params; params default to {}', () => {
  assert.equal(parseRequestLine('{"id":7,"method":"calls.hangup","params":{"call":"3f2c"}}'), { request: { id: 7, method: 'calls.hangup', params: { call: '3f2c' } } });
  assert.equal(parseRequestLine('{"id":"a","method":"calls.list"}'), { request: { id: 'a', method: 'calls.list', params: {} } });
});

test('a line that is not a request gets one error response, with the id when it could be read', () => {
  const cases: Array<[string, unknown]> = [
    ['hello', { id: null, error: 'invalid request: not JSON' }],
    ['[1,2]', { id: null, error: 'invalid request: expected a JSON object' }],
    ['null', { id: null, error: 'invalid request: expected a JSON object' }],
    ['{"method":"calls.list"}', { id: null, error: 'invalid request: "id" must be a number or a string' }],
    ['{"id":{},"method":"calls.list"}', { id: null, error: 'invalid request: "id" must be a number or a string' }],
    ['{"id":1}', { id: 1, error: 'invalid request: "method" must be a non-empty string' }],
    ['{"id":1,"method":""}', { id: 1, error: 'invalid request: "method" must be a non-empty string' }],
    ['{"id":2,"method":"calls.list","params":[1]}', { id: 2, error: 'invalid request: "params" must be an object' }],
  ];
  for (const [line, expected] of cases) assert.equal(parseRequestLine(line), { invalid: expected }, line);
});

test('"__proto__" in params stays a plain own key, the prototype is untouched', () => {
  const parsed = parseRequestLine('{"id":1,"method":"m","params":{"__proto__":{"polluted":true}}}');
  assert.ok('request' in parsed);
  assert.is(({} as Record<string, unknown>).polluted, undefined);
});

test('response lines: one JSON object and LF; an undefined result is null; an unencodable result is an error', () => {
  assert.is(responseLine({ id: 1, result: [{ a: 1 }] }), '{"id":1,"result":[{"a":1}]}\n');
  assert.is(responseLine({ id: 2, result: undefined }), '{"id":2,"result":null}\n');
  assert.is(responseLine({ id: 3, error: 'no live call 3f' }), '{"id":3,"error":"no live call 3f"}\n');
  assert.match(responseLine({ id: 4, result: { n: 1n } }), /^\{"id":4,"error":"the result could not be encoded as JSON: .*BigInt.*"\}\n$/);
});

test('error text is the first line of the message, never empty', () => {
  assert.is(errorText(new Error('first\nsecond')), 'first');
  assert.is(errorText('plain'), 'plain');
  assert.is(errorText(new Error('')), 'unknown error');
});

test.run();

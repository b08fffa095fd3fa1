import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { literalFirstLookup } from '../../../../src/sip/transport/udp-transport.js';

test('an IP literal destination is answered at once, without dns.lookup and its extra tick', () => {
  const answers: Array<[string, number]> = [];
  literalFirstLookup('192.0.2.7', { family: 4 }, (_err, address, family) => answers.push([address, family]));
  literalFirstLookup('2001:db8::1', { family: 6 }, (_err, address, family) => answers.push([address, family]));
  assert.equal(answers, [['192.0.2.7', 4], ['2001:db8::1', 6]], 'both answered synchronously');
});

test('a host name (a Via sent-by without received, RFC 3261 §18.2.2) still goes through dns.lookup', async () => {
  let sync = true;
  const answer = await new Promise<[string, number]>((resolve, reject) => {
    literalFirstLookup('localhost', { family: 4 }, (err, address, family) => (err ? reject(err) : resolve([address, family])));
    sync = false;
  });
  assert.is(sync, false, 'answered later, by the resolver');
  assert.equal(answer, ['127.0.0.1', 4]);
});

test.run();

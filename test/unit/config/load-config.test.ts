import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../src/config/config-error.js';
import { wantsPrettyLog } from '../../../src/config/config.js';
import { DEFAULT_MUSIC_ON_HOLD, loadConfig } from '../../../src/config/load-config.js';
import { packageVersion } from '../../../src/config/package-version.js';

/** Writes `text` as <tmp>/etc/config.yaml and loads it by the relative path the operator would type. */
function load(text: string, cores = 4) {
  const root = mkdtempSync(join(tmpdir(), 'softswitch-cfg-'));
  mkdirSync(join(root, 'etc'));
  writeFileSync(join(root, 'etc', 'config.yaml'), text);
  return { config: loadConfig('etc/config.yaml', { cwd: root, cores }), root };
}

function rejects(text: string, message: string): void {
  try {
    load(text);
  } catch (err) {
    assert.instance(err, ConfigError);
    assert.is((err as Error).message, message);
    assert.not.match((err as Error).message, /\n/, 'one line');
    return;
  }
  assert.unreachable(`expected: ${message}`);
}

test('with no file every key has its default and paths resolve against the cwd', () => {
  const config = loadConfig(undefined, { cwd: '/srv/pbx', cores: 8 });
  assert.equal(config, {
    sip: { listen: '0.0.0.0', port: 5060, tlsPort: 5061, wsPort: 8088, wssPort: 8089, domain: 'pbx.local', userAgent: `softswitch/${packageVersion()}` },
    rtp: { ports: { min: 10000, max: 20000 } },
    data: '/srv/pbx/data',
    log: { level: 'info', pretty: 'auto' },
    registrar: { minExpires: 60, maxExpires: 3600, defaultExpires: 3600 },
    auth: { realm: 'pbx.local', algorithms: ['MD5', 'SHA-256'], nonceLifetime: 300 },
    security: { maxAuthFailures: 5, failureWindow: 60, blockTime: 300, trustedNetworks: [], pinMaxFailures: 10, pinFailureWindow: 900, pinBlockTime: 900 },
    media: { workers: 8 },
    calls: { ringTimeout: 30, mediaTimeout: 60, sessionExpires: 1800, musicOnHold: DEFAULT_MUSIC_ON_HOLD, codecs: ['PCMU', 'PCMA', 'G722', 'opus'] },
    ivr: { language: 'en' },
  });
});

test('calls: timers, music on hold relative to the file, codecs case-insensitive; the shipped music exists', () => {
  const { config, root } = load('calls:\n  ringTimeout: 20\n  mediaTimeout: 0\n  sessionExpires: 600\n  musicOnHold: moh/tune.wav\n  codecs: [g722, pcma]\n');
  assert.equal(config.calls, { ringTimeout: 20, mediaTimeout: 0, sessionExpires: 600, musicOnHold: join(root, 'etc', 'moh', 'tune.wav'), codecs: ['G722', 'PCMA'] });
  assert.ok(existsSync(DEFAULT_MUSIC_ON_HOLD), DEFAULT_MUSIC_ON_HOLD);
});

test('calls: a session interval under 90 s (RFC 4028 §4 Min-SE floor) and unknown codecs are refused', () => {
  rejects('calls:\n  sessionExpires: 60\n', 'etc/config.yaml: calls.sessionExpires must be an integer 90-86400, got 60 (line 2)');
  rejects('calls:\n  codecs: [PCMU, G729]\n', 'etc/config.yaml: calls.codecs[1] must be one of PCMU, PCMA, G722, opus, got "G729" (line 2)');
});

test('an empty file is all defaults, and remembers where it was', () => {
  const { config, root } = load('');
  assert.is(config.file, join(root, 'etc', 'config.yaml'));
  assert.is(config.sip.port, 5060);
});

test('the keys from the product documents work as written', () => {
  const { config, root } = load('sip:\n  port: 5070\n  tlsPort: 5071\n  wsPort: 8080\n  domain: example.com\nrtp:\n  ports: 30000-40000\ndata: ./var\n');
  assert.equal([config.sip.port, config.sip.tlsPort, config.sip.wsPort, config.sip.domain], [5070, 5071, 8080, 'example.com']);
  assert.equal(config.rtp.ports, { min: 30000, max: 40000 });
  assert.is(config.data, join(root, 'etc', 'var'), 'relative to the directory of the file');
  assert.is(config.auth.realm, 'example.com', 'the realm defaults to sip.domain');
});

test('every added key is read', () => {
  const { config, root } = load(`
sip:
  listen: "::"
  externalAddress: 203.0.113.10
  wssPort: 8443
  userAgent: Acme PBX
  tls: { cert: tls/cert.pem, key: /etc/tls/key.pem }
log: { level: debug, pretty: false }
registrar: { minExpires: 30, maxExpires: 7200, defaultExpires: 600 }
auth: { realm: acme, algorithms: [sha-256, md5], nonceLifetime: 120 }
security: { maxAuthFailures: 3, failureWindow: 30, blockTime: 900, trustedNetworks: [192.168.0.0/16, "2001:DB8:0:0::/32", 10.1.2.3], pinMaxFailures: 5, pinFailureWindow: 600, pinBlockTime: 3600 }
media: { workers: 3 }
data: /var/lib/softswitch
`);
  assert.equal(config.sip, {
    listen: '::', port: 5060, tlsPort: 5061, wsPort: 8088, wssPort: 8443, domain: 'pbx.local', userAgent: 'Acme PBX',
    externalAddress: '203.0.113.10', tls: { cert: join(root, 'etc', 'tls', 'cert.pem'), key: '/etc/tls/key.pem' },
  });
  assert.equal(config.log, { level: 'debug', pretty: false });
  assert.equal(config.registrar, { minExpires: 30, maxExpires: 7200, defaultExpires: 600 });
  assert.equal(config.auth, { realm: 'acme', algorithms: ['SHA-256', 'MD5'], nonceLifetime: 120 });
  assert.equal(config.security, { maxAuthFailures: 3, failureWindow: 30, blockTime: 900, trustedNetworks: ['192.168.0.0/16', '2001:db8::/32', '10.1.2.3/32'], pinMaxFailures: 5, pinFailureWindow: 600, pinBlockTime: 3600 });
  assert.equal(config.media, { workers: 3 });
  assert.is(config.data, '/var/lib/softswitch');
});

test('media.workers: auto is one per core', () => {
  assert.is(load('media:\n  workers: auto\n', 6).config.media.workers, 6);
});

test('log.pretty: auto follows the terminal, true and false do not', () => {
  assert.is(wantsPrettyLog(load('log: { pretty: auto }').config, true), true);
  assert.is(wantsPrettyLog(load('log: { pretty: auto }').config, false), false);
  assert.is(wantsPrettyLog(load('log: { pretty: true }').config, false), true);
  assert.is(wantsPrettyLog(load('log: { pretty: false }').config, true), false);
});

test('an empty optional key is unset; an empty key with a default keeps it', () => {
  const { config } = load('sip:\n  externalAddress:\n  port:\n');
  assert.is(config.sip.externalAddress, undefined);
  assert.is(config.sip.port, 5060);
});

test('wrong types are one line naming the file, the key and the line', () => {
  rejects('sip:\n  port: 50x\n', 'etc/config.yaml: sip.port must be an integer 1-65535, got "50x" (line 2)');
  rejects('sip:\n  port: 70000\n', 'etc/config.yaml: sip.port must be an integer 1-65535, got 70000 (line 2)');
  rejects('sip:\n  port: 5060.5\n', 'etc/config.yaml: sip.port must be an integer 1-65535, got 5060.5 (line 2)');
  rejects('sip: 5060\n', 'etc/config.yaml: sip must be a section of keys, got 5060 (line 1)');
  rejects('rtp:\n  ports: 20000-10000\n', 'etc/config.yaml: rtp.ports must be a port range LOW-HIGH with 1 <= LOW < HIGH <= 65535, got "20000-10000" (line 2)');
  rejects('log:\n  level: verbose\n', 'etc/config.yaml: log.level must be one of trace, debug, info, warn, error, fatal, silent, got "verbose" (line 2)');
  rejects('log:\n  pretty: yes\n', 'etc/config.yaml: log.pretty must be true, false or auto, got "yes" (line 2)');
  rejects('sip:\n  listen: pbx.local\n', 'etc/config.yaml: sip.listen must be an IPv4 or IPv6 address, got "pbx.local" (line 2)');
  rejects('sip:\n  domain: "bad domain"\n', 'etc/config.yaml: sip.domain must be a host name or IP address, got "bad domain" (line 2)');
  rejects('auth:\n  algorithms: [MD5, SHA-1]\n', 'etc/config.yaml: auth.algorithms[1] must be one of MD5, SHA-256, got "SHA-1" (line 2)');
  rejects('auth:\n  algorithms: []\n', 'etc/config.yaml: auth.algorithms must not be an empty list (line 2)');
  rejects('auth:\n  realm: \'a"b\'\n', 'etc/config.yaml: auth.realm must not contain a double quote or a backslash (line 2)');
  rejects('media:\n  workers: many\n', 'etc/config.yaml: media.workers must be auto or an integer 1-256, got "many" (line 2)');
  rejects('data: 42\n', 'etc/config.yaml: data must be a non-empty string, got 42 (line 1)');
  rejects('security:\n  trustedNetworks: 10.0.0.0/8\n', 'etc/config.yaml: security.trustedNetworks must be a list, got "10.0.0.0/8" (line 2)');
  rejects('security:\n  trustedNetworks:\n    - 10.0.0.0/8\n    - 10.1.2.3/8\n', 'etc/config.yaml: security.trustedNetworks[1] has host bits set: 10.1.2.3/8 (did you mean 10.0.0.0/8?) (line 4)');
});

test('security.pin*: the conference PIN throttle rejects values that are not positive integers (standard: brute force is throttled)', () => {
  rejects('security:\n  pinMaxFailures: 0\n', 'etc/config.yaml: security.pinMaxFailures must be an integer 1-1000, got 0 (line 2)');
  rejects('security:\n  pinFailureWindow: -60\n', 'etc/config.yaml: security.pinFailureWindow must be an integer 1-86400, got -60 (line 2)');
  rejects('security:\n  pinBlockTime: 0\n', 'etc/config.yaml: security.pinBlockTime must be an integer 1-2592000, got 0 (line 2)');
  rejects('security:\n  pinBlockTime: 1.5\n', 'etc/config.yaml: security.pinBlockTime must be an integer 1-2592000, got 1.5 (line 2)');
});

test('unknown keys are errors, with a suggestion for a likely typo', () => {
  rejects('sip:\n  prot: 5060\n', 'etc/config.yaml: unknown key sip.prot (did you mean sip.port?) (line 2)');
  rejects('registrar:\n  minExpire: 10\n', 'etc/config.yaml: unknown key registrar.minExpire (did you mean registrar.minExpires?) (line 2)');
  rejects('rtpp:\n  ports: 1-2\n', 'etc/config.yaml: unknown key rtpp (did you mean rtp?) (line 1)');
  rejects('colour: blue\n', 'etc/config.yaml: unknown key colour (line 1)');
});

test('rules that span keys', () => {
  rejects('sip:\n  tls:\n    cert: c.pem\n', 'etc/config.yaml: sip.tls.cert is set but sip.tls.key is not; TLS and WSS need both (line 3)');
  rejects('sip:\n  tls:\n    key: k.pem\n', 'etc/config.yaml: sip.tls.key is set but sip.tls.cert is not; TLS and WSS need both (line 3)');
  rejects('sip:\n  wsPort: 5060\n', 'etc/config.yaml: sip.wsPort 5060 is already used by sip.port (line 2)');
  rejects('sip:\n  wssPort: 8088\n  tls: { cert: c, key: k }\n', 'etc/config.yaml: sip.wssPort 8088 is already used by sip.wsPort (line 2)');
  rejects('rtp:\n  ports: 5000-6000\n', 'etc/config.yaml: rtp.ports 5000-6000 include sip.port 5060 (line 2)');
  rejects('registrar:\n  defaultExpires: 30\n', 'etc/config.yaml: registrar.defaultExpires (30) must be between registrar.minExpires (60) and registrar.maxExpires (3600) (line 2)');
  rejects('registrar:\n  minExpires: 7200\n', 'etc/config.yaml: registrar.minExpires (7200) must not exceed registrar.maxExpires (3600) (line 2)');
  // TLS and WSS ports only matter when TLS is on.
  assert.is(load('sip:\n  wssPort: 8088\n  wsPort: 8090\n').config.sip.wssPort, 8088);
});

test('YAML syntax errors and duplicate keys are one line with the line number', () => {
  rejects('sip:\n  port: 1\n  port: 2\n', 'etc/config.yaml: invalid YAML: Map keys must be unique (line 3)');
  rejects('sip: [\n', 'etc/config.yaml: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] (line 2)');
});

test('a file that cannot be read is one line', () => {
  assert.throws(() => loadConfig('nope.yaml', { cwd: tmpdir() }), (err: Error) => err instanceof ConfigError && err.message === 'nope.yaml: cannot read configuration: no such file');
  assert.throws(() => loadConfig('.', { cwd: tmpdir() }), (err: Error) => err.message === '.: cannot read configuration: is a directory');
});

test.run();

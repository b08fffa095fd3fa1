// SIP over WebSocket (RFC 7118) with sip.js, the library the browser web phone will use:
// it registers over WS and over WSS (TLS), is listed with its WebSocket flow, and unregisters.
// sip.js 0.21 aborts on a SHA-256 challenge, so its devices are set to MD5 only (docs/cli.md).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket from 'ws';
import { Registerer, RegistererState, UserAgent } from 'sip.js';
import type { RegistrationJson } from '../../src/cli/json-views.js';
import { fixture } from '../support/paths.js';
import { provision, secretFor } from '../support/provision.js';
import { startSwitchProcess, type SwitchProcess } from '../support/switch-process.js';

// sip.js expects the browser's WebSocket; `ws` provides the same API in Node. The WSS test
// talks to a self-signed certificate, so that socket skips verification.
class TestWebSocket extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols, { rejectUnauthorized: false });
  }
}
(globalThis as { WebSocket?: unknown }).WebSocket = TestWebSocket;

let sw: SwitchProcess;

test.before(async () => {
  try {
    sw = await startSwitchProcess({ sip: { tls: { cert: fixture('tls', 'cert.pem'), key: fixture('tls', 'key.pem') } } });
    provision(sw.dir, [
      { ext: '1003', name: 'Carol', devices: ['1003', '1013'], authAlgorithms: ['MD5'] },
    ]);
  } catch (err) {
    console.error(err); // uvu does not report errors thrown in hooks
    throw err;
  }
});

test.after(async () => {
  await sw?.stop();
});

async function registrations(): Promise<RegistrationJson[]> {
  await new Promise((r) => setTimeout(r, 300)); // one write-behind flush
  return JSON.parse((await sw.cli('registrations', '--json')).stdout) as RegistrationJson[];
}

async function registerOver(url: string, ext: string): Promise<{ ua: UserAgent; reg: Registerer }> {
  const ua = new UserAgent({
    uri: UserAgent.makeURI(`sip:${ext}@pbx.local`)!,
    transportOptions: { server: url },
    authorizationUsername: ext,
    authorizationPassword: secretFor(ext),
    userAgentString: 'SIP.js interop test',
    logLevel: 'error',
  });
  await ua.start();
  const reg = new Registerer(ua, { expires: 300 });
  const state = new Promise<RegistererState>((resolve) =>
    reg.stateChange.addListener((s) => {
      if (s !== RegistererState.Initial) resolve(s);
    }),
  );
  await reg.register();
  assert.is(await state, RegistererState.Registered, `registered over ${url}`);
  return { ua, reg };
}

test('sip.js registers over WS and WSS and is listed with its WebSocket flow (RFC 7118 §5)', async () => {
  const ws = await registerOver(`ws://127.0.0.1:${sw.wsPort}`, '1003');
  const wss = await registerOver(`wss://127.0.0.1:${sw.wssPort}`, '1013');
  const regs = await registrations();
  const a = regs.find((r) => r.device === '1003');
  const b = regs.find((r) => r.device === '1013');
  assert.ok(a && b, JSON.stringify(regs));
  assert.is(a!.protocol, 'ws');
  assert.is(b!.protocol, 'wss');
  assert.is(a!.userAgent, 'SIP.js interop test');
  assert.match(a!.contact, /transport=ws/);

  await ws.reg.unregister();
  await wss.reg.unregister();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await registrations(), []);
  await ws.ua.stop();
  await wss.ua.stop();
});

test.run();

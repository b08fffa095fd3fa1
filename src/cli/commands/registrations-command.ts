/** `softswitch registrations [--user <ext>]`: the live contacts the running switch stored. */
import type { Command } from 'commander';
import type { LiveBinding } from '../../store/store.js';
import { withDirectory, type CliContext } from '../cli-context.js';
import { printJson, registrationJson } from '../json-views.js';
import { formatDuration, hostPort, orDash, renderTable } from '../table.js';
import { commonOptions, type CommonOptions } from './common-options.js';

interface RegistrationsOptions extends CommonOptions {
  user?: string;
}

export function registrationsCommand(program: Command, ctx: CliContext): void {
  commonOptions(program.command('registrations'), { json: true })
    .description('list live registrations: device, user, contact, source address, user agent, expires in')
    .option('--user <userExt>', 'only the devices of this user')
    .action((o: RegistrationsOptions) =>
      withDirectory(o.config, ctx, ({ store, directory }) => {
        const now = ctx.deps.now();
        let live = store.registrations.live(now);
        if (o.user !== undefined) {
          const { user } = directory.user(o.user); // unknown user -> error
          live = live.filter((b) => b.userExt === user.ext);
        }
        ctx.io.stdout(o.json ? printJson(live.map((b) => registrationJson(b, now))) : registrationsTable(live, now, o.user));
      }),
    );
}

function registrationsTable(live: LiveBinding[], now: number, user: string | undefined): string {
  if (live.length === 0) return user ? `no registrations for user ${user}\n` : 'no registrations\n';
  return renderTable(
    [
      { header: 'DEVICE', cell: (b) => b.aor },
      { header: 'USER', cell: (b) => b.userExt },
      { header: 'NAME', cell: (b) => b.userName },
      { header: 'CONTACT', cell: (b) => b.contact },
      { header: 'SOURCE', cell: (b) => `${b.flow.protocol} ${hostPort(b.flow.remoteAddress, b.flow.remotePort)}` },
      { header: 'USER AGENT', cell: (b) => orDash(b.userAgent) },
      { header: 'EXPIRES IN', cell: (b) => formatDuration((b.expiresAt - now) / 1000) },
    ],
    live,
  );
}

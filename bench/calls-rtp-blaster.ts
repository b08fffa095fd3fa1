/**
 * A native RTP load generator for the relayed-calls benchmark, for when the Node one
 * (calls-load-generator.ts) is what saturates: on this 2-core machine the switch's media
 * worker needs about one core at 700 calls, and the Node generator, at ~5 us per datagram
 * sent or received, needs most of the other one, so a third process tips it over and the
 * loss measured is the generator's own (its sockets overflow, the switch's do not).
 * This one is a small C program (sendmmsg/recvmmsg, 64 datagrams per system call), compiled
 * with the system's cc into the benchmark's scratch folder; it speaks the same line protocol
 * semantics as the Node generator and reports the same figures. Without a C compiler the
 * benchmark falls back to the Node generator.
 *
 * Protocol on stdin/stdout, one line each: `add a|b <port>...`, `measure`, `end`, `report`
 * (answered by one JSON line), `stop-sending`, `quit`. It first prints `ready <aPort> <bPort>`.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CallsGeneratorReport, Side } from './calls-load-generator.js';

const SOURCE = String.raw`
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXS 8192
#define BATCH 64
#define PKT 172 /* 12-byte RTP header + 160 bytes PCMU (20 ms) */
#define SLOTS 4
#define HIST 20001 /* 0.1 ms buckets up to 2 s */

static int fd[2];
static int nstreams;
static uint16_t dport[MAXS], seqn[MAXS];
static uint32_t tsn[MAXS];
static uint8_t side[MAXS], got[MAXS];
static int32_t byport[65536];
static int32_t nextseq[MAXS];
static double wstart = 1e300, wend = 1e300;
static long sent[2], rcvd[2], gaps;
static uint32_t hist[HIST];
static double maxdelay;
static int sending = 1, measuring = 0;
static unsigned char frame[160];
static long slots, late;

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static unsigned char ulaw(int pcm) {
  int sign = (pcm >> 8) & 0x80, exp = 7, mant;
  if (sign) pcm = -pcm;
  if (pcm > 32635) pcm = 32635;
  pcm += 0x84;
  for (int mask = 0x4000; (pcm & mask) == 0 && exp > 0; mask >>= 1) exp--;
  mant = (pcm >> (exp + 3)) & 0x0f;
  return (unsigned char)~(sign | (exp << 4) | mant);
}

static int open_socket(void) {
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  int size = 8 << 20;
  setsockopt(s, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  setsockopt(s, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(s, (struct sockaddr *)&a, sizeof a) < 0) { perror("bind"); exit(1); }
  fcntl(s, F_SETFL, O_NONBLOCK);
  return s;
}

static int port_of(int s) {
  struct sockaddr_in a;
  socklen_t l = sizeof a;
  getsockname(s, (struct sockaddr *)&a, &l);
  return ntohs(a.sin_port);
}

static unsigned char obuf[BATCH][PKT];
static struct mmsghdr omsg[BATCH];
static struct iovec oiov[BATCH];
static struct sockaddr_in oaddr[BATCH];

static void flush(int s, int n) {
  int off = 0;
  while (off < n) {
    int r = sendmmsg(s, omsg + off, n - off, 0);
    if (r < 0) { if (errno == EINTR) continue; break; }
    off += r;
  }
}

static void send_slot(long tick) {
  int slot = tick % SLOTS;
  double t = now_ms();
  int inwin = t >= wstart && t < wend;
  for (int sd = 0; sd < 2; sd++) {
    int n = 0;
    for (int i = slot; i < nstreams; i += SLOTS) {
      if (side[i] != sd) continue;
      unsigned char *p = obuf[n];
      p[0] = 0x80; p[1] = 0;
      p[2] = seqn[i] >> 8; p[3] = seqn[i] & 0xff;
      p[4] = tsn[i] >> 24; p[5] = tsn[i] >> 16; p[6] = tsn[i] >> 8; p[7] = tsn[i];
      uint32_t ssrc = 0x50000000u + i;
      p[8] = ssrc >> 24; p[9] = ssrc >> 16; p[10] = ssrc >> 8; p[11] = ssrc;
      memcpy(p + 12, frame, 160);
      memcpy(p + 12, &t, 8); /* send time in the first payload bytes */
      seqn[i]++; tsn[i] += 160;
      oaddr[n].sin_family = AF_INET;
      oaddr[n].sin_port = htons(dport[i]);
      oaddr[n].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (inwin) sent[sd]++;
      if (++n == BATCH) { flush(fd[sd], n); n = 0; }
    }
    if (n) flush(fd[sd], n);
  }
}

static unsigned char ibuf[BATCH][1500];
static struct mmsghdr imsg[BATCH];
static struct iovec iiov[BATCH];
static struct sockaddr_in iaddr[BATCH];

static void receive(int s) {
  for (;;) {
    for (int k = 0; k < BATCH; k++) imsg[k].msg_hdr.msg_namelen = sizeof iaddr[k];
    int r = recvmmsg(s, imsg, BATCH, MSG_DONTWAIT, NULL);
    if (r <= 0) return;
    double t = now_ms();
    for (int k = 0; k < r; k++) {
      unsigned char *p = ibuf[k];
      int len = imsg[k].msg_len;
      int idx = byport[ntohs(iaddr[k].sin_port)] - 1;
      if (idx < 0 || len < 12 || (p[1] >= 192 && p[1] <= 223) || (p[1] & 0x7f) != 0) continue;
      int off = 12 + 4 * (p[0] & 0x0f);
      if ((p[0] & 0x10) && len >= off + 4) off += 4 + 4 * ((p[off + 2] << 8) | p[off + 3]);
      if (len < off + 8) continue;
      double st;
      memcpy(&st, p + off, 8);
      if (st >= wstart && st < wend) {
        rcvd[side[idx]]++;
        got[idx] = 1;
        double d = t - st;
        int b = (int)(d * 10 + 0.5);
        if (b < 0) b = 0;
        if (b >= HIST) b = HIST - 1;
        hist[b]++;
        if (d > maxdelay) maxdelay = d;
      }
      int sq = (p[2] << 8) | p[3];
      if (measuring && nextseq[idx] >= 0) {
        int gap = (sq - nextseq[idx]) & 0xffff;
        if (gap < 0x8000) gaps += gap;
      }
      nextseq[idx] = (sq + 1) & 0xffff;
    }
  }
}

static double pct(double q) {
  double total = 0, acc = 0;
  for (int i = 0; i < HIST; i++) total += hist[i];
  for (int i = 0; i < HIST; i++) { acc += hist[i]; if (acc >= q * total && total > 0) return i / 10.0; }
  return -1;
}

static void command(char *line) {
  if (!strncmp(line, "add ", 4)) {
    int sd = line[4] == 'a' ? 0 : 1;
    char *p = line + 6;
    while (*p) {
      char *before = p;
      long port = strtol(p, &p, 10);
      if (p == before) break;
      if (port > 0 && port < 65536 && !byport[port] && nstreams < MAXS) {
        int i = nstreams++;
        dport[i] = port; side[i] = sd; byport[port] = i + 1; nextseq[i] = -1;
        seqn[i] = (i * 7919) & 0xffff;
      }
      while (*p == ' ') p++;
      if (*p == '\n') break;
    }
  } else if (!strncmp(line, "measure", 7)) {
    measuring = 1; wstart = now_ms(); wend = 1e300;
    sent[0] = sent[1] = rcvd[0] = rcvd[1] = gaps = 0; slots = late = 0; maxdelay = 0;
    memset(hist, 0, sizeof hist); memset(got, 0, sizeof got);
  } else if (!strncmp(line, "end", 3)) {
    wend = now_ms();
  } else if (!strncmp(line, "report", 6)) {
    measuring = 0;
    int silent = 0;
    for (int i = 0; i < nstreams; i++) if (!got[i]) silent++;
    printf("{\"streams\":%d,\"sent\":{\"a\":%ld,\"b\":%ld},\"received\":{\"a\":%ld,\"b\":%ld},\"seqGaps\":%ld,"
           "\"delayMs\":{\"p50\":%.1f,\"p99\":%.1f,\"max\":%.1f},\"silentStreams\":%d,\"cpuMs\":0,\"wallMs\":0,"
           "\"lateSlots\":%ld,\"skippedSlots\":0,\"slots\":%ld}\n",
           nstreams, sent[0], sent[1], rcvd[0], rcvd[1], gaps, pct(0.5), pct(0.99), maxdelay, silent, late, slots);
    fflush(stdout);
  } else if (!strncmp(line, "stop-sending", 12)) {
    sending = 0;
  } else if (!strncmp(line, "quit", 4)) {
    exit(0);
  }
}

int main(void) {
  for (int i = 0; i < 160; i++) frame[i] = ulaw((int)(6000 * sin(2 * 3.14159265358979 * 1000 * i / 8000.0)));
  for (int k = 0; k < BATCH; k++) {
    oiov[k].iov_base = obuf[k]; oiov[k].iov_len = PKT;
    omsg[k].msg_hdr.msg_iov = &oiov[k]; omsg[k].msg_hdr.msg_iovlen = 1;
    omsg[k].msg_hdr.msg_name = &oaddr[k]; omsg[k].msg_hdr.msg_namelen = sizeof oaddr[k];
    iiov[k].iov_base = ibuf[k]; iiov[k].iov_len = sizeof ibuf[k];
    imsg[k].msg_hdr.msg_iov = &iiov[k]; imsg[k].msg_hdr.msg_iovlen = 1;
    imsg[k].msg_hdr.msg_name = &iaddr[k];
  }
  fd[0] = open_socket(); fd[1] = open_socket();
  printf("ready %d %d\n", port_of(fd[0]), port_of(fd[1]));
  fflush(stdout);
  fcntl(0, F_SETFL, O_NONBLOCK);
  static char in[1 << 20];
  size_t have = 0;
  double epoch = now_ms();
  long tick = 0;
  for (;;) {
    double t = now_ms();
    double due = epoch + tick * (20.0 / SLOTS);
    if (t >= due) {
      if (t - due > 10) late++;
      if (t - due > 25) tick = (long)((t - epoch) / (20.0 / SLOTS)); /* a stall: skip, never burst */
      if (sending) send_slot(tick);
      slots++; tick++;
      continue;
    }
    struct pollfd p[3] = {{fd[0], POLLIN, 0}, {fd[1], POLLIN, 0}, {0, POLLIN, 0}};
    int wait = (int)(due - t);
    poll(p, 3, wait < 0 ? 0 : wait);
    if (p[0].revents & POLLIN) receive(fd[0]);
    if (p[1].revents & POLLIN) receive(fd[1]);
    if (p[2].revents & (POLLIN | POLLHUP)) {
      ssize_t r = read(0, in + have, sizeof in - have - 1);
      if (r == 0) exit(0); /* the benchmark went away */
      if (r > 0) {
        have += r;
        in[have] = 0;
        char *start = in, *nl;
        while ((nl = strchr(start, '\n'))) { *nl = 0; command(start); start = nl + 1; }
        have = strlen(start);
        memmove(in, start, have);
      }
    }
  }
}
`;

export interface RtpGenerator {
  pid: number;
  ports: Record<Side, number[]>;
  add(side: Side, ports: number[]): void;
  measure(): void;
  end(): void;
  report(): Promise<CallsGeneratorReport>;
  stopSending(): void;
  close(): void;
}

/** Compiles the generator into `dir` (once) and returns its path, or undefined without a C compiler. */
export function buildRtpBlaster(dir: string): string | undefined {
  const exe = join(dir, 'rtp-blaster');
  if (existsSync(exe)) return exe;
  if (spawnSync('sh', ['-c', 'command -v cc'], { stdio: 'ignore' }).status !== 0) return undefined;
  const src = join(dir, 'rtp-blaster.c');
  writeFileSync(src, SOURCE.replace('#include <unistd.h>', '#include <unistd.h>\n#include <math.h>'));
  execFileSync('cc', ['-O2', '-o', exe, src, '-lm']);
  return exe;
}

export async function startRtpBlaster(exe: string): Promise<RtpGenerator> {
  const child: ChildProcess = spawn(exe, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    const parts = out.split('\n');
    out = parts.pop()!;
    lines.push(...parts);
    waiters.splice(0).forEach((w) => w());
  });
  const nextLine = async (): Promise<string> => {
    while (!lines.length) {
      if (child.exitCode !== null) throw new Error(`rtp-blaster exited with ${child.exitCode}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
    return lines.shift()!;
  };
  const say = (line: string): void => void child.stdin!.write(line + '\n');
  const ready = (await nextLine()).split(' ');
  if (ready[0] !== 'ready') throw new Error(`rtp-blaster: ${ready.join(' ')}`);
  return {
    pid: child.pid!,
    ports: { a: [Number(ready[1])], b: [Number(ready[2])] },
    add: (side, ports) => {
      for (let i = 0; i < ports.length; i += 500) say(`add ${side} ${ports.slice(i, i + 500).join(' ')}`);
    },
    measure: () => say('measure'),
    end: () => say('end'),
    report: async () => {
      say('report');
      return JSON.parse(await nextLine()) as CallsGeneratorReport;
    },
    stopSending: () => say('stop-sending'),
    close: () => {
      say('quit');
      child.stdin!.end();
    },
  };
}

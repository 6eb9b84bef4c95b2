/**
 * Request latencies as the loopback wire saw them: tcpdump records the TCP segments of one port while a
 * load runs, and a request's latency is the time from its segment (client → server, starting with a
 * method) to the first segment of its answer (server → client, starting with `HTTP/`). wrk's own figure
 * also holds the time its threads waited for a core; on a two-core host shared by the server, V8's
 * compiler threads and wrk's two threads, that waiting is most of the first second's tail. Each sample
 * keeps when its request was sent, so the first second can be told from the rest.
 *
 * Needs tcpdump and the right to capture (root); `wireCaptureAvailable()` says whether both hold.
 * Connections without pipelining only (wrk's default): answers are matched to requests in order.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, rm } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { quantile } from './stats.ts';

export interface WireSample {
  /** Seconds from the first segment captured to the request. */
  sentAt: number;
  latencyMs: number;
}

export interface WireCapture {
  /** Stops tcpdump and reads the capture; `dropped` counts segments the kernel did not hand it. */
  stop(): Promise<{ samples: WireSample[]; dropped: number }>;
}

export function wireCaptureAvailable(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('tcpdump', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Starts recording the segments of `port` on loopback into `file` (96 bytes of each: the headers and the first line). */
export async function captureWire(port: number, file: string): Promise<WireCapture> {
  const child = spawn('tcpdump', ['-i', 'lo', '-s', '96', '-B', '32768', '-U', '-w', file, `tcp port ${port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // tcpdump says "listening on lo" once its filter is in place.
  for (let waited = 0; !stderr.includes('listening on') && waited < 5000; waited += 20) await delay(20);
  if (!stderr.includes('listening on')) throw new Error(`tcpdump did not start: ${stderr}`);
  return {
    async stop() {
      child.kill('SIGINT');
      await once(child, 'exit');
      const dropped = Number(/(\d+) packets? dropped by kernel/.exec(stderr)?.[1] ?? 0);
      const samples = parsePcap(await readFile(file), port);
      await rm(file, { force: true });
      return { samples, dropped };
    },
  };
}

const METHOD = /^(GET|HEAD|POST|PUT|PATCH|DELETE) /;

/** Samples from a classic pcap file of Ethernet-framed (loopback) IPv4 segments to and from `port`. */
export function parsePcap(data: Buffer, port: number): WireSample[] {
  const magic = data.readUInt32LE(0);
  const nanos = magic === 0xa1b23c4d;
  if (!nanos && magic !== 0xa1b2c3d4) throw new Error('not a little-endian pcap file');
  // Linux's loopback device frames its packets as Ethernet (link type 1).
  if (data.readUInt32LE(20) !== 1) throw new Error(`pcap link type ${data.readUInt32LE(20)}, not Ethernet`);
  const pending = new Map<number, number[]>();
  const samples: WireSample[] = [];
  let first: number | undefined;
  for (let at = 24; at + 16 <= data.length; ) {
    const time = data.readUInt32LE(at) + data.readUInt32LE(at + 4) / (nanos ? 1e9 : 1e6);
    const length = data.readUInt32LE(at + 8);
    const frame = data.subarray(at + 16, at + 16 + length);
    at += 16 + length;
    first ??= time;
    const segment = tcpPayload(frame);
    if (!segment) continue;
    const head = segment.payload.toString('latin1', 0, 8);
    if (segment.to === port && METHOD.test(head)) {
      const queue = pending.get(segment.from) ?? [];
      queue.push(time);
      pending.set(segment.from, queue);
    } else if (segment.from === port && head.startsWith('HTTP/')) {
      const sent = pending.get(segment.to)?.shift();
      if (sent !== undefined) samples.push({ sentAt: sent - first, latencyMs: (time - sent) * 1000 });
    }
  }
  return samples.sort((a, b) => a.sentAt - b.sentAt);
}

/** Ports and payload of an Ethernet + IPv4 + TCP frame; undefined for anything else. */
function tcpPayload(frame: Buffer): { from: number; to: number; payload: Buffer } | undefined {
  if (frame.length < 14 + 20 || frame.readUInt16BE(12) !== 0x0800) return undefined;
  const ip = frame.subarray(14);
  if (ip[0]! >> 4 !== 4 || ip[9] !== 6) return undefined;
  const tcp = ip.subarray((ip[0]! & 15) * 4);
  if (tcp.length < 20) return undefined;
  return { from: tcp.readUInt16BE(0), to: tcp.readUInt16BE(2), payload: tcp.subarray((tcp[12]! >> 4) * 4) };
}

export interface WireSummary {
  requests: number;
  p50Ms: number;
  p99Ms: number;
  /** The same over requests sent in each window (seconds from the first segment), as `from–to`. */
  windows: { label: string; requests: number; p50Ms: number; p99Ms: number; maxMs: number }[];
}

const WINDOWS: readonly [number, number][] = [
  [0, 0.1],
  [0.1, 0.5],
  [0.5, 1],
  [1, Number.POSITIVE_INFINITY],
  // The whole first second too: the "from the first measured second".
  [0, 1],
];

export function summarise(samples: readonly WireSample[]): WireSummary {
  const sortedLatencies = (list: readonly WireSample[]) => Float64Array.from(list, (s) => s.latencyMs).sort();
  const all = sortedLatencies(samples);
  const windows = WINDOWS.flatMap(([from, to]) => {
    const inside = sortedLatencies(samples.filter((s) => s.sentAt >= from && s.sentAt < to));
    if (inside.length === 0) return [];
    const label = to === Number.POSITIVE_INFINITY ? `${from} s on` : `${from}–${to} s`;
    return [{ label, requests: inside.length, p50Ms: quantile(inside, 0.5), p99Ms: quantile(inside, 0.99), maxMs: inside.at(-1)! }];
  });
  return { requests: all.length, p50Ms: quantile(all, 0.5), p99Ms: quantile(all, 0.99), windows };
}

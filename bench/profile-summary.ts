// `npx tsx bench/profile-summary.ts <file.cpuprofile> [top] [from-s] [to-s]`: where a server profiled with
// `npm run bench -- --cpu-prof` spent its CPU time: self time per function, and per package (node_modules/<pkg>, our
// src/, node internals); with from/to, only the samples of that window (seconds from the profile's start), e.g. the
// peak-sales scenario alone.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, topText = '25', fromText, toText] = process.argv.slice(2);
if (!file) throw new Error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top] [from-s] [to-s]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
if (fromText !== undefined) windowed(profile, Number(fromText) * 1e6, Number(toText ?? Infinity) * 1e6);
const totalHits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0) || 1;

/** Recount each node's hits from the samples taken between `from` and `to` µs after the start. */
function windowed(p: Profile, from: number, to: number): void {
  const hits = new Map<number, number>();
  let at = 0;
  p.samples.forEach((id, i) => {
    at += p.timeDeltas[i] ?? 0;
    if (at >= from && at < to) hits.set(id, (hits.get(id) ?? 0) + 1);
  });
  for (const node of p.nodes) node.hitCount = hits.get(node.id) ?? 0;
  p.endTime = p.startTime + Math.min(to, p.endTime - p.startTime);
  p.startTime += from;
}
const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();

for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  if (hits === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^file:\/\//, '');
  const fn = `${functionName || '(anonymous)'} ${where.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
  byPackage.set(packageOf(where, functionName), (byPackage.get(packageOf(where, functionName)) ?? 0) + hits);
}

function packageOf(url: string, functionName: string): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules?.[1]) return modules[1];
  if (url.includes('/dist/') || url.includes('/src/'))
    return `refundkey ${url
      .split(/\/(?:dist|src)\//)[1]
      ?.split('/')
      .slice(0, 2)
      .join('/')}`;
  if (url.startsWith('node:')) return url;
  if (url === '')
    return functionName === '(idle)'
      ? '(idle)'
      : functionName === '(garbage collector)'
        ? '(gc)'
        : `(native) ${functionName}`;
  return url;
}

const seconds = (profile.endTime - profile.startTime) / 1e6;
const print = (title: string, map: Map<string, number>, top: number) => {
  console.log(`\n${title}`);
  for (const [name, hits] of [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${((hits / totalHits) * 100).toFixed(1).padStart(5)} %  ${name}`);
  }
};
console.log(`${file}: ${seconds.toFixed(1)} s, ${totalHits} samples`);
print('self time by package', byPackage, 20);
print('self time by function', byFunction, Number(topText));

/**
 * Fills an npm-style registry (Verdaccio) with the benchmark corpus through `PUT /{name}`, as
 * `npm publish` does: the same packages, versions, tarball bytes, order and number of publishers as
 * `populate.ts`. Verdaccio can answer 500 to a version published while another version of the same
 * package is in flight, so a failed publish is retried (at most three tries) and the retries are
 * reported; then every package is checked for all its versions, so each target serves the same corpus.
 */
import { packageName, tarballFor, versionName } from './corpus.ts';
import { npmCorpusBody } from './mix-plan.ts';

export interface NpmPopulateOptions {
  origin: string;
  token: string;
  packages: number;
  versions: number;
  publishers: number;
}

export interface NpmPopulateResult {
  publishes: number;
  retries: number;
  totalSeconds: number;
}

async function put(origin: string, token: string, pkg: number, version: number): Promise<string | null> {
  const name = packageName(pkg);
  try {
    const response = await fetch(`${origin}/${name}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: npmCorpusBody(pkg, version, tarballFor(pkg, version)),
    });
    const text = await response.text();
    return response.status === 201 ? null : `${response.status} ${text.slice(0, 200)}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export async function npmPopulate(options: NpmPopulateOptions): Promise<NpmPopulateResult> {
  const jobs: [number, number][] = [];
  for (let p = 0; p < options.packages; p++) for (let v = 0; v < options.versions; v++) jobs.push([p, v]);
  let next = 0;
  let retries = 0;
  const started = performance.now();
  const publisher = async () => {
    while (next < jobs.length) {
      const [p, v] = jobs[next++]!;
      for (let attempt = 1; ; attempt++) {
        const problem = await put(options.origin, options.token, p, v);
        // A retry can find the version stored by the try that answered 500; the check below confirms it.
        if (problem === null || (attempt > 1 && problem.startsWith('409'))) break;
        if (attempt === 3) throw new Error(`npm populate: ${packageName(p)}@${versionName(v)} failed three times: ${problem}`);
        retries++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.publishers }, publisher));
  const totalSeconds = (performance.now() - started) / 1000;
  await checkCorpus(options);
  return { publishes: jobs.length, retries, totalSeconds };
}

/** Every package answers with all its versions (a lost update would leave one out). */
async function checkCorpus(options: NpmPopulateOptions): Promise<void> {
  for (let p = 0; p < options.packages; p++) {
    const response = await fetch(`${options.origin}/${packageName(p)}`);
    const body = (await response.json()) as { versions?: Record<string, unknown> };
    const missing = Array.from({ length: options.versions }, (_, v) => versionName(v)).filter((v) => body.versions?.[v] === undefined);
    if (response.status !== 200 || missing.length > 0)
      throw new Error(`npm populate: ${packageName(p)} answered ${response.status} without ${missing.join(', ')}`);
  }
}

/**
 * What `publish --dry-run` asks the registry, so that a dry run that passes means the publish
 * will: the version is free, the name is not too close to another package's, the publisher owns
 * the package, every dependency exists. Reads only; bounded by the manifest's dependency cap.
 */
import type { Context } from './context.ts';
import { CliError } from './errors.ts';
import { apiRequest, seg } from './http.ts';
import { mapLimit } from '../../core/src/pool.ts';
import { similarPackages } from './suggest.ts';

export interface PublishProblem {
  code: string;
  message: string;
}

interface PackageDoc {
  name?: unknown;
  owners?: unknown;
  versions?: { version?: unknown }[];
}

// Suggestions cost up to three searches each; a manifest full of typos gets them for the first few.
const SUGGEST_FOR = 5;

const missing = (error: unknown) => error instanceof CliError && (error.code === 'package_not_found' || error.data?.status === 404);

/** GET /packages/NAME, or null when the registry has no such package. */
async function packageDoc(ctx: Context, name: string): Promise<PackageDoc | null> {
  return apiRequest<PackageDoc>(ctx, { path: `/packages/${seg(name)}`, auth: 'optional' }).catch((error: unknown) => {
    if (missing(error)) return null;
    throw error;
  });
}

async function ownershipProblems(ctx: Context, name: string, version: string): Promise<{ problems: PublishProblem[]; warnings: string[] }> {
  const doc = await packageDoc(ctx, name);
  const problems: PublishProblem[] = [];
  const warnings: string[] = [];
  if (doc !== null && typeof doc.name === 'string' && doc.name !== name) {
    problems.push({
      code: 'name_taken',
      message: `"${name}" is too similar to the existing package "${doc.name}" (case, "-", "_" and "." count as the same)`,
    });
    return { problems, warnings };
  }
  if (doc !== null && (doc.versions ?? []).some((v) => v?.version === version)) {
    problems.push({ code: 'version_exists', message: `${name}@${version} already exists; bump the version in synapse.json` });
  }
  if (!(await ctx.token())) {
    warnings.push(`you are not logged in to ${ctx.registry}: publish needs synapse pkg login or SYNAPSE_TOKEN`);
  } else if (doc !== null && Array.isArray(doc.owners)) {
    const me = await apiRequest<{ username?: string }>(ctx, { method: 'POST', path: '/auth/verify', json: {}, auth: 'required' });
    if (me?.username && !doc.owners.includes(me.username)) {
      problems.push({ code: 'not_owner', message: `${me.username} is not an owner of ${name} (owners: ${doc.owners.join(', ')})` });
    }
  }
  return { problems, warnings };
}

async function dependencyProblems(ctx: Context, dependencies: Record<string, string>): Promise<PublishProblem[]> {
  const names = Object.keys(dependencies);
  const absent = (await mapLimit(names, 8, async (dep) => ((await packageDoc(ctx, dep)) === null ? dep : null))).filter(
    (n): n is string => n !== null,
  );
  return mapLimit(absent, 4, async (dep, i) => {
    const similar = i < SUGGEST_FOR ? await similarPackages(ctx, dep) : [];
    const hint = similar.length ? ` (did you mean ${similar.join(' or ')}?)` : '';
    return { code: 'dependency_not_found', message: `dependency ${dep}: ${ctx.registry} holds no package by that name${hint}` };
  });
}

/** Everything the registry would refuse that the client can find out beforehand. */
export async function publishProblems(ctx: Context, manifest: { name: string; version: string; dependencies: Record<string, string> }) {
  const [own, deps] = await Promise.all([
    ownershipProblems(ctx, manifest.name, manifest.version),
    dependencyProblems(ctx, manifest.dependencies),
  ]);
  return { problems: [...own.problems, ...deps], warnings: own.warnings };
}

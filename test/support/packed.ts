// envtest as a user gets it from a registry: the tarball `npm pack` makes, installed into a fresh
// directory. Everything is written under the caller's temporary directory.
import { execa } from 'execa';
import { repoRoot } from './cli.js';

/**
 * `npm pack` of the working tree into `dir`. Scripts are skipped: `npm test` has just built dist/,
 * and a prepack rebuild here would rewrite dist/ under the e2e tests running beside this one.
 */
export async function packTarball(dir: string): Promise<{ tarball: string; files: string[] }> {
  const { stdout } = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: repoRoot });
  const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  return { tarball: `${dir}/${info!.filename}`, files: info!.files.map((f) => f.path) };
}

/** npm install in `dir`, from the cache the repository's own install filled (no registry round trips when it can). */
export async function npmInstall(dir: string, specs: string[] = []): Promise<void> {
  await execa('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs], { cwd: dir });
}

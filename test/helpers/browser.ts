/**
 * Headless Chromium for tests that look at a page as a browser shows it, from npm alone.
 *
 * The browser is the Chromium build inside the @sparticuz/chromium package (a devDependency): the package carries
 * the brotli-compressed binary, the NSS/NSPR/expat libraries it links against (bin/al2023.tar.br) and fonts, so
 * `npm ci` brings everything and nothing is downloaded or installed by hand. Measured here: the binary links only
 * glibc and libgcc_s from the system once LD_LIBRARY_PATH points at the package's libraries (see
 * test/helpers/browser.test.ts). It is driven by puppeteer-core, which downloads nothing either.
 *
 * It is unpacked once per package version into node_modules/.cache/, never into a shared /tmp path (the package's
 * own executablePath() writes /tmp/chromium, which a parallel run could see half-written), and never looked up on
 * PATH: a system Chromium, if there is one, is not used.
 */
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
} from 'node:fs';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { brotliDecompressSync, createBrotliDecompress } from 'node:zlib';
import puppeteer from 'puppeteer-core';

const PACKAGE = '@sparticuz/chromium';

export interface ShippedChromium {
  /** The unpacked browser binary. */
  readonly executable: string;
  /** The folder of the libraries the package ships; goes first on LD_LIBRARY_PATH. */
  readonly libraryPath: string;
  /** A fontconfig folder: the package's fonts first, then the system's if it has any. */
  readonly fontConfigPath: string;
  /** The @sparticuz/chromium version, whose major is the Chromium major version. */
  readonly packageVersion: string;
}

/** The root folder of the installed package (its exports map hides package.json from require.resolve). */
function packageRoot(): string {
  let dir = dirname(require.resolve(PACKAGE));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE
    )
      return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${PACKAGE} is installed without its package.json; run npm ci`);
    dir = parent;
  }
}

/**
 * Unpacks a tar archive of regular files and folders (all the package's archives hold) below `target`.
 * Anything else — links, devices, paths leaving `target` — is refused rather than skipped.
 */
function untar(archive: Buffer, target: string): void {
  const text = (from: number, length: number, at: number): string =>
    archive.toString('utf8', at + from, at + from + length).replace(/\0[\s\S]*$/, '');
  let at = 0;
  while (at + 512 <= archive.length && archive[at] !== 0) {
    const name = [text(345, 155, at), text(0, 100, at)].filter((part) => part !== '').join('/');
    const size = Number.parseInt(text(124, 12, at).trim() || '0', 8);
    const type = text(156, 1, at);
    const path = resolve(target, name);
    const inside = relative(target, path);
    if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside))
      throw new Error(`tar entry ${name} leaves ${target}`);
    if (type === '5') mkdirSync(path, { recursive: true });
    else if (type === '0' || type === '') {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, archive.subarray(at + 512, at + 512 + size), { mode: 0o755 });
    } else throw new Error(`tar entry ${name} has type ${type}, which this unpacker does not handle`);
    at += 512 + Math.ceil(size / 512) * 512;
  }
}

let unpacked: Promise<ShippedChromium> | undefined;

/** The Chromium of @sparticuz/chromium, unpacked on first use (about 2 s here) and reused after. */
export function shippedChromium(): Promise<ShippedChromium> {
  unpacked ??= unpack();
  return unpacked;
}

async function unpack(): Promise<ShippedChromium> {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(
      `${PACKAGE} ships a Linux x64 Chromium; this machine is ${process.platform} ${process.arch}. ` +
        'The HTML rendering tests run on Linux x64 (as CI does).',
    );
  const root = packageRoot();
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const dir = join(root, '..', '..', '.cache', 'authn-pack', `chromium-${version}`);
  const shipped: ShippedChromium = {
    executable: join(dir, 'chromium'),
    libraryPath: join(dir, 'lib'),
    fontConfigPath: join(dir, 'fontconfig'),
    packageVersion: version,
  };
  if (existsSync(shipped.executable)) return shipped;

  // Unpack beside the final folder and rename it into place, so a reader sees all of it or nothing.
  mkdirSync(dirname(dir), { recursive: true });
  const staging = mkdtempSync(`${dir}.partial-`);
  try {
    const bin = join(root, 'bin');
    await pipeline(
      createReadStream(join(bin, 'chromium.br')),
      createBrotliDecompress(),
      createWriteStream(join(staging, 'chromium'), { mode: 0o755 }),
    );
    // al2023.tar.br holds lib/libnss3.so and the rest of what the binary links besides glibc.
    untar(brotliDecompressSync(readFileSync(join(bin, 'al2023.tar.br'))), staging);
    // fonts.tar.br holds fonts.conf (which names Lambda's folders) and fonts/Open_Sans: use the fonts, write our own conf.
    const fontConfig = join(staging, 'fontconfig');
    untar(brotliDecompressSync(readFileSync(join(bin, 'fonts.tar.br'))), fontConfig);
    writeFileSync(
      join(fontConfig, 'fonts.conf'),
      [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        '<fontconfig>',
        `  <dir>${join(dir, 'fontconfig', 'fonts')}</dir>`,
        '  <dir>/usr/share/fonts</dir>',
        '  <dir>/usr/local/share/fonts</dir>',
        `  <cachedir>${join(dir, 'fontconfig', 'cache')}</cachedir>`,
        '</fontconfig>',
        '',
      ].join('\n'),
    );
    try {
      renameSync(staging, dir);
    } catch (error) {
      // Another process unpacked the same version first: use its copy.
      if (!existsSync(shipped.executable)) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return shipped;
}

/** The environment the browser runs in: the package's libraries and fonts, a throwaway home. */
export function browserEnvironment(shipped: ShippedChromium, home: string): NodeJS.ProcessEnv {
  const inherited = process.env.LD_LIBRARY_PATH;
  return {
    ...process.env,
    LD_LIBRARY_PATH: [shipped.libraryPath, ...(inherited ? [inherited] : [])].join(delimiter),
    FONTCONFIG_PATH: shipped.fontConfigPath,
    HOME: home,
    XDG_CONFIG_HOME: home,
    XDG_CACHE_HOME: home,
  };
}

export interface Rendered {
  /** The DOM after load, serialized. */
  readonly dom: string;
  /** A PNG of the viewport. */
  readonly screenshot: Buffer;
  /** What the browser says it is (`HeadlessChrome/<version>`). */
  readonly browserVersion: string;
}

/** Opens the page from a file:// URL, as someone who was sent the file would, and reads back DOM and screenshot. */
export async function renderPage(
  html: string,
  viewport: { readonly width: number; readonly height: number },
): Promise<Rendered> {
  const shipped = await shippedChromium();
  const dir = mkdtempSync(join(tmpdir(), 'authn-pack-render-'));
  try {
    const file = join(dir, 'page.html');
    writeFileSync(file, html);
    const profile = mkdtempSync(join(dir, 'profile-'));
    const browser = await puppeteer.launch({
      executablePath: shipped.executable,
      headless: 'shell',
      pipe: true,
      userDataDir: profile,
      env: browserEnvironment(shipped, profile),
      // Root (as in CI) needs --no-sandbox; no GPU here, so software compositing.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--hide-scrollbars'],
      timeout: 60_000,
    });
    try {
      const browserVersion = await browser.version();
      const page = await browser.newPage();
      await page.setViewport(viewport);
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 60_000 });
      const dom = await page.content();
      const screenshot = Buffer.from(await page.screenshot({ type: 'png' }));
      return { dom, screenshot, browserVersion };
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

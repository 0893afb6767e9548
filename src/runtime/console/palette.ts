/**
 * AOZ's default screen palette (aoz-facts §11.2) and its mapping to terminal colours.
 * Pen and Paper indexes are taken modulo 32 (the default screen has 32 colours).
 */

export type Rgb = readonly [number, number, number];

/** The first 32 entries of the AOZ manifest's default palette, as 0xRRGGBB. */
const DEFAULT_PALETTE: readonly number[] = [
  0x000000, 0xffffff, 0xd1d1d1, 0xa2a2a2, 0x737373, 0x444444, 0xff0000, 0xd10000, 0xa20000, 0x730000,
  0x440000, 0x00ff00, 0x00d100, 0x00a200, 0x007300, 0x004400, 0xffff00, 0xd1d100, 0xa2a200, 0x737300,
  0x444400, 0xff7f00, 0xe27100, 0xc46200, 0xa65300, 0x884400, 0x0000ff, 0x0000d1, 0x0000a2, 0x000073,
  0x000044, 0x00ffff,
];

export const PALETTE_SIZE = 32;

/** The index actually displayed for a Pen/Paper value (modulo 32, never negative). */
export function displayIndex(index: number): number {
  return ((Math.floor(index) % PALETTE_SIZE) + PALETTE_SIZE) % PALETTE_SIZE;
}

export function paletteRgb(index: number): Rgb {
  const c = DEFAULT_PALETTE[displayIndex(index)]!;
  return [(c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff];
}

// ---------------------------------------------------------------------------------------------
// Terminal colour capability

export type ColorDepth = 'none' | '256' | 'truecolor';
export type ColorOption = 'auto' | 'always' | 'never';

/**
 * How many colours the terminal gets. `auto` honours NO_COLOR (set and not empty, no-color.org)
 * and TERM=dumb; the depth comes from COLORTERM (truecolor/24bit), else the xterm-256 palette.
 */
export function colorDepth(option: ColorOption, env: NodeJS.ProcessEnv): ColorDepth {
  if (option === 'never') return 'none';
  if (option === 'auto') {
    if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return 'none';
    if (env['TERM'] === 'dumb') return 'none';
  }
  const ct = (env['COLORTERM'] ?? '').toLowerCase();
  return ct === 'truecolor' || ct === '24bit' ? 'truecolor' : '256';
}

// ---------------------------------------------------------------------------------------------
// xterm-256 fallback

const CUBE_LEVELS = [0, 95, 135, 175, 215, 255] as const;

/** RGB of xterm colours 16..255 (the 6x6x6 cube and the grey ramp); 0..15 are theme-dependent. */
function xtermRgb(n: number): Rgb {
  if (n >= 232) {
    const v = 8 + 10 * (n - 232);
    return [v, v, v];
  }
  const i = n - 16;
  return [CUBE_LEVELS[Math.floor(i / 36)]!, CUBE_LEVELS[Math.floor(i / 6) % 6]!, CUBE_LEVELS[i % 6]!];
}

/** The xterm-256 colour (16..255) nearest to an RGB value, by squared euclidean distance. */
export function nearestXterm256([r, g, b]: Rgb): number {
  let best = 16;
  let bestDist = Number.POSITIVE_INFINITY;
  for (let n = 16; n < 256; n++) {
    const [xr, xg, xb] = xtermRgb(n);
    const d = (xr - r) ** 2 + (xg - g) ** 2 + (xb - b) ** 2;
    if (d < bestDist) {
      best = n;
      bestDist = d;
    }
  }
  return best;
}

/** SGR parameters selecting a palette index as foreground or background, for a colour depth. */
export function sgrColor(index: number, layer: 'fg' | 'bg', depth: Exclude<ColorDepth, 'none'>): string {
  const rgb = paletteRgb(index);
  const base = layer === 'fg' ? 38 : 48;
  if (depth === 'truecolor') return `${base};2;${rgb[0]};${rgb[1]};${rgb[2]}`;
  return `${base};5;${nearestXterm256(rgb)}`;
}

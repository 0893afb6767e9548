/**
 * Network permissions, in the style of Deno's flags: `--allow-net=host[:port],...` restricts every
 * connection to a list, `--deny-net=host[:port],...` blocks a list, `--deny-net` alone blocks
 * everything. Deny wins over allow. The TO side of `--map` always stays allowed.
 *
 * The check runs twice for every connection (every redirect hop and every WebSocket included):
 * - before connecting, on the host as written in the URL. Literal addresses are normalised first
 *   (`127.1`, `2130706433`, `0x7f000001`, `[::ffff:127.0.0.1]` are all 127.0.0.1): Node's resolver
 *   hooks never see literals, so this is the only check they get;
 * - when a host name has been resolved (a `lookup` wrapper given to undici's connector and to ws),
 *   on every address it resolved to: a name that resolves to a denied address is blocked before any
 *   connection is attempted.
 *
 * Rules for resolved addresses (where Deno is silent):
 * - `--deny-net`: an address is blocked when a deny entry names it (a port in the entry must match).
 *   A loopback entry (127.x.x.x, ::1) or `localhost` blocks the whole local machine: every loopback
 *   address, 0.0.0.0 and :: (which also reach local servers).
 * - `--allow-net`: the host name must be listed, and each address it resolves to must be public, or
 *   be listed itself, or be a loopback address of a `localhost` name. So `--allow-net=example.com`
 *   works, while a listed name that resolves to 127.0.0.1, 10.x or 169.254.169.254 (DNS rebinding)
 *   is blocked unless that address is listed too. Literal addresses must be listed exactly.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { NetFailure } from './errors.js';

export type HostKind = 'name' | 'ipv4' | 'ipv6';

/** A host in canonical form: lower-case name without trailing dot, or a normalised address. */
export interface CanonicalHost {
  readonly kind: HostKind;
  /** IPv6 without brackets, compressed; IPv4-mapped/compatible and NAT64 addresses become IPv4. */
  readonly host: string;
}

/** One `host[:port]` entry of --allow-net or --deny-net. */
export interface NetRule extends CanonicalHost {
  /** The entry as written. */
  readonly text: string;
  /** undefined: every port. */
  readonly port?: number;
}

export interface PolicyOptions {
  /** undefined: everything allowed. */
  readonly allowNet?: readonly string[] | undefined;
  /** `'all'`: nothing allowed (but the exempt targets). */
  readonly denyNet?: readonly string[] | 'all' | undefined;
  /** `host:port` targets that are always allowed (the TO side of --map). */
  readonly exempt?: readonly { readonly host: string; readonly port: number }[];
}

/** The host of a URL or of an entry in canonical form, or undefined when it is not a valid host. */
export function canonicalHost(raw: string): CanonicalHost | undefined {
  let h = raw.trim();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  const zone = h.indexOf('%');
  if (zone >= 0 && h.includes(':')) h = h.slice(0, zone);
  if (h === '') return undefined;
  if (isIP(h) === 6 || (h.includes(':') && !h.includes('/'))) {
    const v6 = normaliseIPv6(h);
    if (v6 === undefined) return undefined;
    const v4 = embeddedIPv4(v6);
    return v4 === undefined ? { kind: 'ipv6', host: v6 } : { kind: 'ipv4', host: v4 };
  }
  if (/[/?#@\\\s*]/.test(h)) return undefined;
  let hostname: string;
  try {
    // The WHATWG host parser: lower case, IDNA, and every IPv4 spelling (127.1, 0x7f000001,
    // 2130706433, 0177.0.0.1) normalised to dotted decimal.
    hostname = new URL(`http://${h}/`).hostname;
  } catch {
    return undefined;
  }
  if (hostname === '') return undefined;
  if (isIP(hostname) === 4) return { kind: 'ipv4', host: hostname };
  if (hostname.startsWith('[')) return canonicalHost(hostname);
  return { kind: 'name', host: hostname.replace(/\.+$/, '') };
}

function normaliseIPv6(h: string): string | undefined {
  try {
    const host = new URL(`http://[${h}]/`).hostname;
    return host.slice(1, -1);
  } catch {
    return undefined;
  }
}

/** The eight 16-bit groups of a normalised IPv6 address (hex form, as the URL parser writes it). */
function groupsOf(v6: string): number[] {
  const [head = '', tail] = v6.split('::');
  const parse = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  const a = parse(head);
  if (tail === undefined) return a;
  const b = parse(tail);
  return [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b];
}

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), -compatible (::a.b.c.d) or NAT64 one. */
function embeddedIPv4(v6: string): string | undefined {
  const g = groupsOf(v6);
  if (g.length !== 8) return undefined;
  const zeros = (from: number, to: number): boolean => g.slice(from, to).every((x) => x === 0);
  const mapped = zeros(0, 5) && g[5] === 0xffff;
  const compatible = zeros(0, 6) && (g[6] ?? 0) !== 0;
  const nat64 = g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6);
  if (!mapped && !compatible && !nat64) return undefined;
  const hi = g[6] ?? 0;
  const lo = g[7] ?? 0;
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

/** `host:port` for messages (`[::1]:80`). */
export function showTarget(host: CanonicalHost, port: number): string {
  return `${host.kind === 'ipv6' ? `[${host.host}]` : host.host}:${port}`;
}

/** Parse one `host[:port]` entry; throws Error with a readable message. */
export function parseNetRule(entry: string): NetRule {
  const text = entry.trim();
  if (text === '') throw new Error('empty host');
  if (/[/@?#]/.test(text)) throw new Error(`"${text}" is not a valid host[:port] (no scheme, user or path)`);
  let hostText = text;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) throw new Error(`"${text}": missing "]"`);
    hostText = text.slice(0, close + 1);
    const rest = text.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) throw new Error(`"${text}" is not host[:port]`);
      portText = rest.slice(1);
    }
  } else if ((text.match(/:/g) ?? []).length === 1) {
    const colon = text.indexOf(':');
    hostText = text.slice(0, colon);
    portText = text.slice(colon + 1);
  }
  if (hostText.includes('*')) throw new Error(`"${text}": wildcards are not supported, list each host`);
  const host = canonicalHost(hostText);
  if (!host) throw new Error(`"${text}" is not a valid host[:port]`);
  if (portText === undefined) return { ...host, text };
  if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
    throw new Error(`"${text}": the port must be a number from 1 to 65535`);
  }
  return { ...host, text, port: Number(portText) };
}

/** A comma-separated list of entries (`--allow-net=a.com,b.com:8080`); throws Error. */
export function parseNetList(text: string): string[] {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0) throw new Error('expected host[:port],...');
  for (const e of entries) parseNetRule(e);
  return entries;
}

// ---------------------------------------------------------------------------------------------
// Address classes

const SPECIAL: readonly (readonly [cidr: string, label: string])[] = [
  ['127.0.0.0/8', 'a loopback address'],
  ['::1/128', 'a loopback address'],
  ['0.0.0.0/8', 'the unspecified address'],
  ['::/128', 'the unspecified address'],
  ['10.0.0.0/8', 'a private address'],
  ['172.16.0.0/12', 'a private address'],
  ['192.168.0.0/16', 'a private address'],
  ['100.64.0.0/10', 'a private address'],
  ['fc00::/7', 'a private address'],
  ['169.254.0.0/16', 'a link-local address'],
  ['fe80::/10', 'a link-local address'],
  ['224.0.0.0/4', 'a multicast address'],
  ['ff00::/8', 'a multicast address'],
  ['192.0.0.0/24', 'a reserved address'],
  ['192.0.2.0/24', 'a reserved address'],
  ['198.18.0.0/15', 'a reserved address'],
  ['198.51.100.0/24', 'a reserved address'],
  ['203.0.113.0/24', 'a reserved address'],
  ['240.0.0.0/4', 'a reserved address'],
  ['100::/64', 'a reserved address'],
  ['2001:db8::/32', 'a reserved address'],
];

// Made on first use, not when the module loads: a BlockList is a native handle, which the start-up
// snapshot (scripts/build.mjs) cannot hold.
let specialLists: readonly (readonly [BlockList, string])[] | undefined;

function specialListsOnce(): readonly (readonly [BlockList, string])[] {
  specialLists ??= SPECIAL.map(([cidr, label]) => {
    const list = new BlockList();
    const [net = '', bits = '0'] = cidr.split('/');
    list.addSubnet(net, Number(bits), isIP(net) === 6 ? 'ipv6' : 'ipv4');
    return [list, label] as const;
  });
  return specialLists;
}

/** What kind of non-public address this is ("a loopback address"), or undefined when public. */
export function specialAddress(address: CanonicalHost): string | undefined {
  if (address.kind === 'name') return undefined;
  for (const [list, label] of specialListsOnce()) {
    if (list.check(address.host, address.kind)) return label;
  }
  return undefined;
}

/** Loopback or unspecified: an address that reaches the local machine. */
function isLocal(address: CanonicalHost): boolean {
  const s = specialAddress(address);
  return s === 'a loopback address' || s === 'the unspecified address';
}

function isLocalhostName(host: CanonicalHost): boolean {
  return host.kind === 'name' && (host.host === 'localhost' || host.host.endsWith('.localhost'));
}

// ---------------------------------------------------------------------------------------------

export class NetPolicy {
  private readonly allow: readonly NetRule[] | undefined;
  private readonly deny: readonly NetRule[] | 'all';
  private readonly exempt: ReadonlySet<string>;
  /** True when anything is restricted (otherwise no check is needed at all). */
  readonly restricted: boolean;

  /** Throws Error on an invalid entry. */
  constructor(options: PolicyOptions = {}) {
    this.allow = options.allowNet?.map(parseNetRule);
    this.deny = options.denyNet === 'all' ? 'all' : (options.denyNet ?? []).map(parseNetRule);
    const exempt = new Set<string>();
    for (const e of options.exempt ?? []) {
      const h = canonicalHost(e.host);
      if (h) exempt.add(showTarget(h, e.port));
    }
    this.exempt = exempt;
    this.restricted = this.allow !== undefined || this.deny === 'all' || this.deny.length > 0;
  }

  /** The exempt targets of `--map FROM=TO` pairs: each TO's host and port. */
  static mapTargets(maps: readonly (readonly [string, string])[]): { host: string; port: number }[] {
    const out: { host: string; port: number }[] = [];
    for (const [, to] of maps) {
      try {
        const url = new URL(to.trim());
        const port = Number(url.port) || (url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80);
        if (url.hostname !== '') out.push({ host: url.hostname, port });
      } catch {
        // not a URL: it can rewrite nothing that connects
      }
    }
    return out;
  }

  /**
   * The check before connecting to `hostname:port` (a URL's hostname; IPv6 in brackets or not).
   * Returns the DENIED failure, or undefined when allowed.
   */
  checkTarget(hostname: string, port: number): NetFailure | undefined {
    if (!this.restricted) return undefined;
    const host = canonicalHost(hostname);
    if (!host) return undefined; // not a host: the transport reports it
    const target = showTarget(host, port);
    if (this.exempt.has(target)) return undefined;
    if (this.deny === 'all') {
      return denied(`${target} is blocked by --deny-net (all network access is denied)`);
    }
    const rule = this.deny.find((r) => denyMatches(r, host, port));
    if (rule) return denied(`${target} is blocked by --deny-net (listed as ${rule.text})`);
    if (this.allow && !this.allow.some((r) => sameHost(r, host) && portMatches(r, port))) {
      return denied(`${target} is not allowed by --allow-net (${this.allowedList()})`);
    }
    return undefined;
  }

  /** The check of the addresses a host name resolved to. */
  checkAddresses(hostname: string, port: number, addresses: readonly string[]): NetFailure | undefined {
    if (!this.restricted) return undefined;
    const host = canonicalHost(hostname);
    if (!host) return undefined;
    const target = showTarget(host, port);
    if (this.exempt.has(target)) return undefined;
    const before = this.checkTarget(hostname, port);
    if (before) return before;
    for (const raw of addresses) {
      const address = canonicalHost(raw);
      if (!address || address.kind === 'name') continue;
      const shown = address.host;
      if (this.deny !== 'all') {
        const rule = this.deny.find((r) => denyMatches(r, address, port));
        if (rule)
          return denied(
            `${target} is blocked by --deny-net (it resolves to ${shown}, listed as ${rule.text})`,
          );
      }
      if (this.allow) {
        const special = specialAddress(address);
        if (special === undefined) continue;
        if (this.allow.some((r) => sameHost(r, address) && portMatches(r, port))) continue;
        if (isLocalhostName(host) && special === 'a loopback address') continue;
        return denied(
          `${target} is not allowed by --allow-net (it resolves to ${shown}, ${special} that is not in the list)`,
        );
      }
    }
    return undefined;
  }

  /**
   * A dns.lookup replacement for connections to `port`: resolves with `base` (dns.lookup when
   * undefined), then refuses the name with a DENIED failure when an address is not allowed.
   */
  lookup(port: number, base?: LookupFunction): LookupFunction {
    const resolve = base ?? (dnsLookup as LookupFunction);
    return ((hostname: string, options: object, callback: LookupCallback): void => {
      const before = this.checkTarget(hostname, port);
      if (before) {
        process.nextTick(callback, before, '', 0);
        return;
      }
      resolve(hostname, options as Parameters<LookupFunction>[1], (err, address, family) => {
        if (err) {
          callback(err, address, family);
          return;
        }
        const list =
          typeof address === 'string' ? [address] : (address as LookupAddress[]).map((a) => a.address);
        const denial = this.checkAddresses(hostname, port, list);
        if (denial) callback(denial, typeof address === 'string' ? '' : [], 0);
        else callback(null, address, family);
      });
    }) as LookupFunction;
  }

  private allowedList(): string {
    const list = this.allow ?? [];
    if (list.length === 0) return 'nothing is listed';
    const shown = list.slice(0, 5).map((r) => r.text);
    return `allowed: ${shown.join(', ')}${list.length > 5 ? `, and ${list.length - 5} more` : ''}`;
  }
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

function denied(explanation: string): NetFailure {
  return new NetFailure('DENIED', explanation);
}

function portMatches(rule: NetRule, port: number): boolean {
  return rule.port === undefined || rule.port === port;
}

function sameHost(rule: NetRule, host: CanonicalHost): boolean {
  return rule.kind === host.kind && rule.host === host.host;
}

/** Deny entries match exactly, and a local entry (loopback address or `localhost`) any local address. */
function denyMatches(rule: NetRule, host: CanonicalHost, port: number): boolean {
  if (!portMatches(rule, port)) return false;
  if (sameHost(rule, host)) return true;
  if (host.kind === 'name') return false;
  const ruleIsLocal = rule.kind === 'name' ? isLocalhostName(rule) : isLocal(rule);
  return ruleIsLocal && isLocal(host);
}

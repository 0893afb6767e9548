/**
 * Throwaway certificates for the TLS rows, made with the openssl command (absent → the rows are
 * skipped with a visible reason).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface Certificates {
  readonly dir: string;
  /** A CA and, signed by it, a certificate for 127.0.0.1 and one for wrong.example. */
  readonly caCert: string;
  readonly good: { key: string; cert: string };
  readonly wrongHost: { key: string; cert: string };
  /** Self-signed for 127.0.0.1, valid. */
  readonly selfSigned: { key: string; cert: string };
  /** Self-signed for 127.0.0.1, valid from 2020-01-01 to 2020-01-02. */
  readonly expired: { key: string; cert: string };
  remove(): void;
}

const CA_CONFIG = `[ ca ]
default_ca = d
[ d ]
database = index.txt
serial = serial
new_certs_dir = .
default_md = sha256
policy = p
unique_subject = no
copy_extensions = copy
[ p ]
commonName = supplied
`;

export function makeCertificates(): Certificates {
  const dir = mkdtempSync(join(tmpdir(), 'aozrun-tls-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const file = (name: string) => join(dir, name);
  writeFileSync(file('ca.cnf'), CA_CONFIG);
  writeFileSync(file('index.txt'), '');
  writeFileSync(file('serial'), '01\n');

  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl(
    'req',
    '-x509',
    ...newKey,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=aozrun test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  ssl(
    'req',
    '-x509',
    ...newKey,
    '-keyout',
    'self.key',
    '-out',
    'self.crt',
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  );
  for (const [name, cn, san] of [
    ['good', '127.0.0.1', 'IP:127.0.0.1'],
    ['wrong', 'wrong.example', 'DNS:wrong.example'],
    ['expired', '127.0.0.1', 'IP:127.0.0.1'],
  ] as const) {
    ssl(
      'req',
      '-new',
      ...newKey,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${cn}`,
      '-addext',
      `subjectAltName=${san}`,
    );
  }
  const sign = (name: string, extra: string[]) =>
    ssl(
      'ca',
      '-batch',
      '-config',
      'ca.cnf',
      '-in',
      `${name}.csr`,
      '-out',
      `${name}.crt`,
      '-notext',
      ...extra,
    );
  sign('good', ['-cert', 'ca.crt', '-keyfile', 'ca.key', '-days', '2']);
  sign('wrong', ['-cert', 'ca.crt', '-keyfile', 'ca.key', '-days', '2']);
  sign('expired', [
    '-selfsign',
    '-keyfile',
    'expired.key',
    '-startdate',
    '20200101000000Z',
    '-enddate',
    '20200102000000Z',
  ]);
  const pair = (name: string) => ({ key: file(`${name}.key`), cert: file(`${name}.crt`) });
  return {
    dir,
    caCert: file('ca.crt'),
    good: pair('good'),
    wrongHost: pair('wrong'),
    selfSigned: pair('self'),
    expired: pair('expired'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { heraldError } from '../../test/support/herald-error.ts';
import { profilesFile, resolveRemoteProfile } from './remote-profile.ts';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-profile-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

const key = (name: string) => ({ url: `https://${name}.example.com`, accessKeyId: `HK${name.toUpperCase()}`, secretAccessKey: `secret-${name}` });

test('the environment names the Herald and key unless a profile is asked for; the file is ~/.config/herald/profiles.json', () => {
  const file = path.join(home, '.config/herald/profiles.json');
  assert.equal(profilesFile({ HOME: home }), file);
  assert.equal(profilesFile({ HOME: home, XDG_CONFIG_HOME: '/etc/xdg' }), '/etc/xdg/herald/profiles.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ default: key('default'), prod: { ...key('prod'), region: 'eu-west-1' } }), { mode: 0o600 });
  const env = { HOME: home, HERALD_URL: 'http://localhost:8080', HERALD_ACCESS_KEY: 'HKENV', HERALD_SECRET_KEY: 'secret-env' };
  assert.deepEqual(resolveRemoteProfile(undefined, env), { url: 'http://localhost:8080', accessKeyId: 'HKENV', secretAccessKey: 'secret-env' });
  assert.deepEqual(resolveRemoteProfile('prod', env), { ...key('prod'), region: 'eu-west-1' });
  assert.deepEqual(resolveRemoteProfile(undefined, { ...env, HERALD_PROFILE: 'prod' }).accessKeyId, 'HKPROD');
  assert.deepEqual(resolveRemoteProfile(undefined, { HOME: home }), { ...key('default'), region: undefined });
});

test('a missing or broken profile is refused naming the file and what to write', () => {
  const missing = heraldError(() => resolveRemoteProfile(undefined, { HOME: home }));
  assert.equal(missing.code, 'PROFILE_MISSING');
  assert.match(missing.message, /HERALD_URL.*profiles\.json/);
  const file = path.join(home, 'profiles.json');
  fs.writeFileSync(file, '{ "default": ', { mode: 0o600 });
  assert.equal(heraldError(() => resolveRemoteProfile(undefined, { HERALD_PROFILES_FILE: file })).code, 'PROFILE_INVALID');
  fs.writeFileSync(file, JSON.stringify({ default: { url: 'https://h.example.com' } }));
  assert.match(heraldError(() => resolveRemoteProfile('default', { HERALD_PROFILES_FILE: file })).message, /no profile "default" with string url, accessKeyId and secretAccessKey/);
  assert.match(heraldError(() => resolveRemoteProfile('staging', { HERALD_PROFILES_FILE: file })).message, /no profile "staging"/);
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HeraldClient } from '../../sdk/src/index.ts';
import { readRemoteCliEnvironment, type RemoteCliEnvironment } from '../config/config.ts';
import { invalid } from '../errors.ts';

/**
 * Where the remote commands (`herald send`, `herald messages tail`) find the Herald they talk to
 * and the access key they sign with, from the variables src/config/config.ts reads for it:
 * `--profile NAME` (or HERALD_PROFILE) picks a profile of the profiles file; otherwise
 * HERALD_URL, HERALD_ACCESS_KEY and HERALD_SECRET_KEY, else the file's "default" profile.
 * The file is HERALD_PROFILES_FILE, else $XDG_CONFIG_HOME/herald/profiles.json (~/.config/...):
 * `{ "default": { "url": "https://herald.example.com", "accessKeyId": "HK...", "secretAccessKey": "..." } }`.
 */
export interface RemoteProfile {
  url: string;
  accessKeyId: string;
  secretAccessKey: string;
  region?: string;
}

export function profilesFile(env: RemoteCliEnvironment = readRemoteCliEnvironment()): string {
  if (env.HERALD_PROFILES_FILE) return path.resolve(env.HERALD_PROFILES_FILE);
  const configHome = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(configHome, 'herald', 'profiles.json');
}

export function resolveRemoteProfile(profileName: string | undefined, env: RemoteCliEnvironment = readRemoteCliEnvironment()): RemoteProfile {
  const name = profileName ?? env.HERALD_PROFILE;
  if (name === undefined && env.HERALD_URL && env.HERALD_ACCESS_KEY && env.HERALD_SECRET_KEY) {
    return { url: env.HERALD_URL, accessKeyId: env.HERALD_ACCESS_KEY, secretAccessKey: env.HERALD_SECRET_KEY };
  }
  const file = profilesFile(env);
  const wanted = name ?? 'default';
  if (!fs.existsSync(file)) {
    throw invalid(
      'PROFILE_MISSING',
      `No Herald to talk to: set HERALD_URL, HERALD_ACCESS_KEY and HERALD_SECRET_KEY, or write profile "${wanted}" ({ "url", "accessKeyId", "secretAccessKey" }) into ${file}`,
    );
  }
  let profiles: Record<string, Partial<RemoteProfile>>;
  try {
    profiles = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Partial<RemoteProfile>>;
  } catch (error) {
    throw invalid('PROFILE_INVALID', `${file} is not valid JSON: ${(error as Error).message}`);
  }
  const profile = profiles?.[wanted];
  if (!profile || typeof profile.url !== 'string' || typeof profile.accessKeyId !== 'string' || typeof profile.secretAccessKey !== 'string') {
    throw invalid('PROFILE_INVALID', `${file} has no profile "${wanted}" with string url, accessKeyId and secretAccessKey`);
  }
  if ((fs.statSync(file).mode & 0o077) !== 0) console.error(`herald: warning: ${file} holds secret keys and is readable by others; chmod 600 it`);
  return { url: profile.url, accessKeyId: profile.accessKeyId, secretAccessKey: profile.secretAccessKey, region: profile.region };
}

export function remoteClient(profileName: string | undefined): HeraldClient {
  const profile = resolveRemoteProfile(profileName);
  try {
    return new HeraldClient(profile);
  } catch (error) {
    throw invalid('PROFILE_INVALID', `The Herald URL "${profile.url}" is not a URL: ${(error as Error).message}`);
  }
}

import { parseArgs } from 'node:util';
import type { HeraldConfig } from '../config/config.ts';
import { invalid } from '../errors.ts';
import { createHerald, type Herald } from '../herald.ts';
import { ROLES, type Role } from '../domain/users/user-service.ts';

/** Management commands work on the database directly, with no server running. */
async function withHerald<T>(config: HeraldConfig, run: (herald: Herald) => Promise<T>): Promise<T> {
  const herald = await createHerald(config, { roles: [] });
  try {
    return await run(herald);
  } finally {
    await herald.stop();
  }
}

function print(value: unknown, json: boolean | undefined, human: string): void {
  console.log(json ? JSON.stringify(value) : human);
}

export async function runAppCommand(config: HeraldConfig, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean' }, description: { type: 'string' } } });
  return withHerald(config, async ({ services: { apps } }) => {
    if (sub === 'create') {
      if (!positionals[0]) throw invalid('ARGUMENT_MISSING', 'Usage: herald app create NAME');
      const app = await apps.create({ name: positionals[0], description: values.description });
      print(app, values.json, `Created app ${app.name} (${app.id})`);
      return 0;
    }
    if (sub === 'list') {
      const list = await apps.list();
      print(list, values.json, list.map((app) => `${app.id}  ${app.name}  ${app.status}`).join('\n'));
      return 0;
    }
    throw invalid('COMMAND_UNKNOWN', 'Usage: herald app create NAME | herald app list');
  });
}

export async function runKeyCommand(config: HeraldConfig, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean' }, app: { type: 'string' } } });
  return withHerald(config, async ({ services: { keys } }) => {
    if (sub === 'create' || sub === 'list') {
      if (!values.app) throw invalid('ARGUMENT_MISSING', `Usage: herald key ${sub} --app NAME`);
      if (sub === 'list') {
        const list = await keys.list(values.app);
        print(list, values.json, list.map((key) => `${key.accessKeyId}  ${key.status}  last used ${key.lastUsedAt ?? 'never'}`).join('\n'));
        return 0;
      }
      const key = await keys.create(values.app);
      print(
        { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
        values.json,
        `Access key id:     ${key.accessKeyId}\nSecret access key: ${key.secretAccessKey}\n(The secret is shown only now; store it safely.)`,
      );
      return 0;
    }
    if (sub === 'revoke') {
      if (!positionals[0]) throw invalid('ARGUMENT_MISSING', 'Usage: herald key revoke ACCESS_KEY_ID');
      await keys.revoke(positionals[0]);
      console.log(`Revoked ${positionals[0]}`);
      return 0;
    }
    throw invalid('COMMAND_UNKNOWN', 'Usage: herald key create|list --app NAME | herald key revoke ACCESS_KEY_ID');
  });
}

export async function runAdminCommand(config: HeraldConfig, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (sub !== 'create') throw invalid('COMMAND_UNKNOWN', 'Usage: herald admin create --email EMAIL --password PASSWORD');
  if (!values.email || !values.password) throw invalid('ARGUMENT_MISSING', 'Usage: herald admin create --email EMAIL --password PASSWORD');
  const role = (values.role ?? 'owner') as Role;
  if (!ROLES.includes(role)) throw invalid('ROLE_UNKNOWN', `--role must be one of ${ROLES.join(', ')}`);
  return withHerald(config, async ({ services: { users } }) => {
    const user = await users.create({ email: values.email!, password: values.password!, name: values.name, role });
    print(user, values.json, `Created ${user.role} ${user.email} (${user.id})`);
    return 0;
  });
}

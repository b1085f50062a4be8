// Plain JavaScript on purpose: it must run on the old Node it refuses.

export const REQUIRED_NODE = '22.12';

/** The one line to print when this Node cannot run Herald's TypeScript sources, or undefined when it can. */
export function unsupportedNodeMessage(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  const [requiredMajor, requiredMinor] = REQUIRED_NODE.split('.').map(Number);
  if (major > requiredMajor || (major === requiredMajor && minor >= requiredMinor)) return undefined;
  return `Herald needs Node.js >= ${REQUIRED_NODE} (24 recommended), not v${version.replace(/^v/, '')}: run it with \`npm start\` or \`npm run herald -- <command>\`, which use the Node 24 that \`npm install\` puts in node_modules/.bin, or install Node 24 from https://nodejs.org.`;
}

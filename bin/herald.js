#!/usr/bin/env node
// Herald runs its TypeScript sources directly (Node >= 22.12 strips types).
import '../src/main.ts';

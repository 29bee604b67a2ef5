#!/usr/bin/env node
// Entry point of the `streamcogs` command: registers tsx so TypeScript cogs load as-is.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');

// Writes openapi.yaml from the contract: `yarn build:openapi`.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openApiYaml } from './openapi';

writeFileSync(resolve(__dirname, '../src/schema/openapi.yaml'), openApiYaml());

// Prisma 7 CLI configuration. Run the CLI through `node scripts/prisma.mjs …` (npm scripts do): it loads .env
// and supplies the schema engine (WebAssembly shim) that this environment cannot download.
import { defineConfig, env } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: {
    path: 'prisma/migrations',
    seed: 'tsx prisma/seed.ts',
  },
  datasource: {
    url: env('DATABASE_URL'),
  },
});

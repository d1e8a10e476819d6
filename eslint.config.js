// Lint: neostandard (standard style, TypeScript aware) as fastify/demo uses it, plus a line limit.
import neostandard, { resolveIgnoresFromGitignore } from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: resolveIgnoresFromGitignore() }),
  {
    rules: {
      '@stylistic/max-len': ['error', { code: 160, ignoreUrls: true, ignoreRegExpLiterals: true }]
    }
  },
  // The web UI runs in the browser as plain ES modules; neostandard knows window and document, not these.
  { files: ['ui/**/*.js'], languageOptions: { globals: { location: 'readonly', history: 'readonly', Element: 'readonly' } } }
]

// The architecture, enforced: imports point one way. `npm run lint:deps` (part of `npm test`) fails
// on any arrow that goes the wrong way.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'only-runtime-backends-import-an-engine-client',
      comment: 'The runtime interface hides the engine; only a backend under src/runtime/<backend>/ may know an engine client.',
      severity: 'error',
      from: { pathNot: '^src/runtime/(docker|swarm)/' },
      to: { path: 'node_modules/(dockerode|docker-modem|@kubernetes/client-node)/' },
    },
    {
      name: 'backends-are-chosen-in-one-place',
      comment: 'The orchestrator and everything else depend on the backend interface (backend.ts); only runtime/create.ts picks an implementation.',
      severity: 'error',
      from: { pathNot: '^src/runtime/(docker/|swarm/|create\\.ts$)' },
      to: { path: '^src/runtime/(docker|swarm)/' },
    },
    {
      name: 'orchestration-speaks-the-backend-verbs',
      comment:
        "runtime.ts is the Docker-shaped engine API (create then start, putArchive into a stopped container, container: network modes, Docker's events): Docker's own, which no Swarm task or Kubernetes pod has. Everything that runs a run works through backend.ts's verbs, so a backend is a matter of implementing them.",
      severity: 'error',
      from: { path: '^src/(orchestrator|library|access|cli|artifacts)/' },
      to: { path: '^src/runtime/runtime\\.ts$' },
    },
    {
      name: 'backends-do-not-know-each-other',
      comment: 'Swarm reuses the Docker engine client for what runs on the manager; Docker knows nothing of Swarm.',
      severity: 'error',
      from: { path: '^src/runtime/docker/' },
      to: { path: '^src/runtime/swarm/' },
    },
    {
      name: 'sidecar-and-checks-stay-self-contained',
      comment: 'They run inside the sidecar and reaper containers: no orchestrator, runtime, compose, cli or artifacts code.',
      severity: 'error',
      from: { path: '^src/(sidecar|checks|reaper)/' },
      to: { path: '^src/(orchestrator|runtime|compose|cli|artifacts|planner|suite)/' },
    },
    {
      name: 'model-is-a-leaf',
      severity: 'error',
      from: { path: '^src/model/' },
      to: { path: '^src/(?!model/|errors\\.ts)' },
    },
    {
      name: 'launch-stands-alone',
      comment: 'src/launch/ loads the CLI bundle (bin/envtest.js through dist/code-cache.cjs) before any of it exists in the process: it can use only node itself.',
      severity: 'error',
      from: { path: '^src/launch/' },
      to: { pathNot: '^src/launch/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'timing-is-a-leaf',
      comment: 'Waiting that gives way to cancellation is shared by the runtime and the orchestrator (and would be by the sidecar); it knows neither.',
      severity: 'error',
      from: { path: '^src/timing/' },
      to: { path: '^src/(?!timing/)' },
    },
    {
      name: 'yaml-reading-is-a-leaf',
      comment: 'Reading untrusted YAML safely is shared by compose and suites; it knows neither.',
      severity: 'error',
      from: { path: '^src/yaml/' },
      to: { path: '^src/(?!yaml/|errors\\.ts)' },
    },
    {
      name: 'pure-layers-stay-pure',
      comment: 'compose, planner and suite turn input into the model; they know nothing of engines or commands.',
      severity: 'error',
      from: { path: '^src/(compose|planner|suite)/' },
      to: { path: '^src/(orchestrator|runtime|cli|artifacts|sidecar|checks)/' },
    },
    {
      name: 'runtime-knows-no-orchestration',
      severity: 'error',
      from: { path: '^src/runtime/' },
      to: { path: '^src/(orchestrator|cli|compose|planner|suite|artifacts|sidecar|checks)/' },
    },
    {
      name: 'artifacts-below-orchestrator',
      severity: 'error',
      from: { path: '^src/artifacts/' },
      to: { path: '^src/(orchestrator|cli|compose|suite)/' },
    },
    {
      name: 'access-reaches-runs-through-the-runtime',
      comment: 'forward/exec/logs/shell find a running run by its labels on the engine; they read no compose files, suites or artifacts.',
      severity: 'error',
      from: { path: '^src/access/' },
      to: { path: '^src/(cli|compose|planner|suite|artifacts|sidecar|checks)/' },
    },
    {
      name: 'library-sits-on-top',
      comment: 'src/library is the public API (src/index.ts re-exports it); the CLI consumes it, the layers below never reach up into it.',
      severity: 'error',
      from: { pathNot: '^src/(cli/|library/|index\\.ts$)' },
      to: { path: '^src/(library/|index\\.ts$)' },
    },
    {
      name: 'cli-goes-through-the-library',
      comment:
        'The CLI is a thin consumer of the library: every command that starts, checks, reaches or removes a run calls src/library, so a flag and an option cannot drift apart. ' +
        'No exception for the composition root: main.ts gets its engine from library/engine.ts (connectEngine), which also passes the runtime types through, so the CLI holds an engine without working one. ' +
        '(forward/exec/logs/shell go through src/access, which finds a running run by its labels.)',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/(orchestrator|runtime)/' },
    },
    {
      name: 'nothing-imports-the-entries',
      comment: 'src/index.ts and src/cli/main.ts are bundle entries; importing one would pull a whole entry (and, for main, run the CLI).',
      severity: 'error',
      from: {},
      to: { path: '^src/(index|cli/main)\\.ts$' },
    },
    {
      name: 'run-record-is-pure',
      comment: 'What a run saves for reproduce (and how secrets become names) is data in, data out: no engine, no files.',
      severity: 'error',
      from: { path: '^src/reproduce/record\\.ts$' },
      to: { path: '^src/(?!model/|text/|errors\\.ts)' },
    },
    {
      name: 'snapshot-core-stays-pure',
      comment: 'Shapes, diffs and snapshot files are used by the sidecar (shapes) and the host (files); they know no engine, command or protocol client.',
      severity: 'error',
      from: { path: '^src/snapshot/' },
      to: { path: '^src/(orchestrator|runtime|compose|cli|artifacts|planner|suite|sidecar|checks)/' },
    },
    {
      name: 'sidecar-takes-only-pure-snapshot-parts',
      comment: 'The runner only extracts shapes; reading and writing snapshot files is the host’s job, on the host’s disk.',
      severity: 'error',
      from: { path: '^src/(sidecar|checks)/' },
      to: { path: '^src/snapshot/(?!shape\\.ts|path\\.ts)' },
    },
    {
      name: 'orchestrator-spec-calls-no-engine',
      comment:
        'orchestrator/spec decides, from the project and the host files it names, what a run would create and what it refuses; it calls no engine, so checkStartable (library/prepare.ts, before any engine is reached) refuses bad input with exit 2 and nothing made. ' +
        'From the runtime it takes types and the labels only; from the rest of the orchestrator only the label that carries pre_stop hooks to teardown (lifecycle/lifecycle-hooks.ts).',
      severity: 'error',
      from: { path: '^src/orchestrator/spec/' },
      to: {
        path: '^src/(orchestrator/(?!spec/|lifecycle/lifecycle-hooks\\.ts$)|runtime/(?!labels\\.ts$)|artifacts/|access/|library/)',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'orchestrator-cleanup-works-from-labels-alone',
      comment:
        'Teardown, the stale sweep and the reaper find a run by its labels from any process (`envtest down` in another shell, the reaper once envtest died): nothing of a start (its plan, specs, images, environment) and no compose file may be needed. ' +
        'pre_stop hooks travel in a container label for this reason (lifecycle/lifecycle-hooks.ts runs them from it); the reaper copies in a bundled script (images/bundles.ts).',
      severity: 'error',
      from: { path: '^src/orchestrator/cleanup/' },
      to: { path: '^src/(orchestrator/(?!cleanup/|images/bundles\\.ts$|lifecycle/lifecycle-hooks\\.ts$)|compose/|planner/|suite/|artifacts/)' },
    },
    {
      name: 'orchestrator-readiness-only-judges',
      comment:
        'Whether a service is there is judged from what the engine reports and from its own health check run by envtest; readiness creates and removes nothing and knows nothing of how the run was started, so the start scheduler and ports/port-readiness ask the same judge.',
      severity: 'error',
      from: { path: '^src/orchestrator/readiness/' },
      to: { path: '^src/orchestrator/(?!readiness/)' },
    },
    {
      name: 'orchestrator-sampling-changes-nothing',
      comment:
        'Service logs and resource samples are best effort: they follow what runs and start, wait for and remove nothing, so a follower or sampler that fails cannot change how a run goes. Of the orchestrator they read only the run\'s record of its containers (lifecycle/environment.ts).',
      severity: 'error',
      from: { path: '^src/orchestrator/sampling/' },
      to: { path: '^src/orchestrator/(?!sampling/|lifecycle/environment\\.ts$)' },
    },
    {
      name: 'compose-is-entered-through-its-index',
      comment:
        'src/compose/index.ts is the loader\'s public face (loadProject, printProject, parseEnvFile); how it loads, normalizes and validates (load/, normalize/, validate/) can be regrouped or rewritten without touching a caller.',
      severity: 'error',
      from: { pathNot: '^src/compose/' },
      to: { path: '^src/compose/(?!index\\.ts$)' },
    },
    {
      name: 'compose-validate-judges-what-it-is-given',
      comment:
        'Checking a file against what envtest supports is handed the parsed document and its line map: it reads nothing and shapes nothing (only types from load/ and normalize/), so every file (-f, include, extends) is judged by the same rules before merging.',
      severity: 'error',
      from: { path: '^src/compose/validate/' },
      to: { path: '^src/compose/(load|normalize)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'compose-normalize-reads-nothing',
      comment:
        'Turning compose syntax into one form (each file\'s short syntax, then the merged project as `docker compose config` prints it) reads no file and resolves variables only through the lookup it is handed (only types from load/), so it works the same on files, stdin and memory.',
      severity: 'error',
      from: { path: '^src/compose/normalize/' },
      to: { path: '^src/compose/load/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'only-cli-imports-cli',
      severity: 'error',
      from: { pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};

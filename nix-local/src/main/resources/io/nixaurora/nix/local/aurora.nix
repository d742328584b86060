# aurora.nix: Apache Aurora jobs as Nix expressions.
#
# A job file is a function of { aurora, pkgs, ... } returning a job:
#
#   { aurora, pkgs, ... }:
#   with aurora;
#   Service {
#     cluster = "devcluster"; role = "vagrant"; environment = "devel"; name = "hello_world";
#     task = Task {
#       processes = [ (Process { name = "hello_world";
#                                cmdline = "${pkgs.python3}/bin/python3 ${./hello_world.py}"; }) ];
#       resources = Resources { cpu = 1; ram = 1 * MB; disk = 8 * MB; };
#     };
#   }
#
# The constructors carry the names of Aurora's own DSL and its field names (docs/aurora-spec.md §1).
# Each checks its attributes: an unknown name or a value of the wrong type is an error naming
# the attribute and where it was written. Unset attributes (or null) are left out of the job,
# so Aurora applies its own defaults. A struct-typed attribute also takes a plain attribute set,
# which is checked as if it had been passed to the constructor.
#
# For every process, `build` makes a store path
# aurora-process-<cluster>-<role>-<env>-<job>-<process> whose content is the cmdline, built with
# a plain `derivation` (no nixpkgs), so its references are exactly the process's closure. All the
# scripts of a job are the outputs of ONE derivation (see `scriptSet`): Nix 2.8 spends 60-150 ms
# per derivation it builds, growing with their number, so a derivation per process made a job
# with 1,000 processes take minutes. The price: a change to one process's cmdline gives new store
# paths (same content) to the scripts of every process from its group of 100 on, which `diff`
# then shows. That costs no extra restart (Aurora restarts a task when anything in its
# configuration changes), while a derivation per script made a deploy of 100 jobs of 10 processes
# 1,000 derivations (111 s against 14 s grouped, bench/README.md). So only a job of one process
# keeps a plain derivation (`textFile`).
let
  inherit (builtins)
    attrNames concatStringsSep elemAt filter foldl' genList getAttr hasAttr head isAttrs isBool
    isFloat isInt isList isString length listToAttrs map removeAttrs stringLength substring
    typeOf unsafeGetAttrPos;

  # --- errors -------------------------------------------------------------------------------

  # "file:line:column" of attribute `name` in `attrs`, or null when Nix does not know it.
  posOf = name: attrs:
    let p = if isAttrs attrs then unsafeGetAttrPos name attrs else null;
    in if p == null then null else "${p.file}:${toString p.line}:${toString p.column}";

  # Where an attribute set was written: the position of any of its attributes.
  setPos = attrs:
    let
      found = filter (p: p != null) (map (n: posOf n attrs) (attrNames attrs));
    in if found == [ ] then null else head found;

  # Throws `message`, followed by the location in the form Nix uses for its own errors, so the
  # tool can report file and line alike for both.
  fail = pos: message:
    throw (if pos == null then message else "${message}\n\n       at ${pos}:");

  describe = v:
    let t = typeOf v; in
    if t == "set" then (if v ? _aurora then "a ${v._aurora}" else "an attribute set")
    else if t == "int" then "an integer"
    else if t == "lambda" then "a function"
    else if t == "null" then "null"
    else "a ${t}";

  # --- "did you mean" -----------------------------------------------------------------------

  min3 = a: b: c: let m = if a < b then a else b; in if m < c then m else c;

  # Levenshtein distance between two (short) strings.
  distance = a: b:
    let
      la = stringLength a;
      lb = stringLength b;
      step = prev: i:
        let
          ca = substring (i - 1) 1 a;
        in foldl'
          (row: j:
            row ++ [
              (min3
                (elemAt row (j - 1) + 1)
                (elemAt prev j + 1)
                (elemAt prev (j - 1) + (if ca == substring (j - 1) 1 b then 0 else 1)))
            ])
          [ i ]
          (genList (j: j + 1) lb);
    in elemAt (foldl' step (genList (j: j) (lb + 1)) (genList (i: i + 1) la)) lb;

  suggest = name: candidates:
    let
      scored = map (c: { inherit c; d = distance name c; }) candidates;
      best = foldl' (acc: s: if acc == null || s.d < acc.d then s else acc) null scored;
      limit = if stringLength name <= 4 then 1 else 2;
    in if best != null && best.d <= limit then " (did you mean '${best.c}'?)" else "";

  # --- types --------------------------------------------------------------------------------

  string = { kind = "string"; };
  int = { kind = "int"; };
  float = { kind = "float"; };
  bool = { kind = "bool"; };
  listOf = t: { kind = "list"; elem = t; };
  mapOf = t: { kind = "map"; elem = t; };
  struct = s: { kind = "struct"; name = s; };
  choice = ss: { kind = "choice"; names = ss; };
  enum = vs: { kind = "enum"; values = vs; };

  typeName = t:
    if t.kind == "string" then "a string"
    else if t.kind == "int" then "an integer"
    else if t.kind == "float" then "a number"
    else if t.kind == "bool" then "a boolean"
    else if t.kind == "list" then "a list"
    else if t.kind == "map" then "an attribute set of strings"
    else if t.kind == "struct" then "a ${t.name}"
    else if t.kind == "choice" then "one of ${concatStringsSep ", " t.names}"
    else "one of ${concatStringsSep ", " (map (v: "\"${v}\"") t.values)}";

  # Checks value `v` against type `t`; `where` names it ("Resources.cpu"), `pos` is where it was
  # written. Returns the checked value (struct values normalised through their constructor).
  check = where: pos: t: v:
    let
      wrong = fail pos "${where}: expected ${typeName t}, got ${describe v}";
    in
    if t.kind == "string" then (if isString v then v else wrong)
    else if t.kind == "int" then (if isInt v then v else wrong)
    else if t.kind == "float" then (if isInt v || isFloat v then v else wrong)
    else if t.kind == "bool" then (if isBool v then v else wrong)
    else if t.kind == "enum" then
      (if isString v && builtins.elem v t.values then v else wrong)
    else if t.kind == "list" then
      (if isList v
       then genList (i: check "${where}[${toString i}]" pos t.elem (elemAt v i)) (length v)
       else wrong)
    else if t.kind == "map" then
      (if isAttrs v && !(v ? _aurora)
       then builtins.mapAttrs (k: x: check "${where}.${k}" (posOf k v) t.elem x) v
       else wrong)
    else if t.kind == "struct" then
      (if !isAttrs v then wrong
       else if v ? _aurora then (if v._aurora == t.name then v else wrong)
       else make t.name (setPos v) v)
    else # choice
      (if !isAttrs v then wrong
       else if v ? _aurora then (if builtins.elem v._aurora t.names then v else wrong)
       else
         # A plain attribute set: like pystachio, take the first alternative that fits.
         let
           # The shape of each value counts too: Docker's image is a string, Mesos's a set.
           shapeFits = t: x:
             if builtins.elem t.kind [ "struct" "choice" "map" ] then isAttrs x
             else if t.kind == "list" then isList x
             else !(isAttrs x) && !(isList x);
           fits = n:
             let s = schemas.${n}; given = attrNames v;
             in builtins.all (a: hasAttr a s && (v.${a} == null || shapeFits s.${a} v.${a})) given
                && builtins.all (a: !(s.${a}.required or false) || hasAttr a v) (attrNames s);
           fitting = filter fits t.names;
         in if fitting == [ ] then wrong else make (head fitting) (setPos v) v);

  # --- schemas (docs/aurora-spec.md §1.2, §1.3) -------------------------------------------------------

  req = t: t // { required = true; };

  schemas = {
    Resources = { cpu = req float; ram = req int; disk = req int; gpu = int; };
    Constraint = { order = req (listOf string); };
    RotatePolicy = { log_size = int; backups = int; };
    Logger = {
      destination = enum [ "file" "console" "both" "none" ];
      mode = enum [ "standard" "rotate" ];
      rotate = struct "RotatePolicy";
    };
    Process = {
      cmdline = req string;
      name = req string;
      resources = struct "Resources";
      max_failures = int;
      daemon = bool;
      ephemeral = bool;
      min_duration = int;
      final = bool;
      logger = struct "Logger";
    };
    Task = {
      name = string;
      processes = req (listOf (struct "Process"));
      constraints = listOf (struct "Constraint");
      resources = req (struct "Resources");
      max_failures = int;
      max_concurrency = int;
      finalization_wait = int;
      user = string;
    };
    QueueUpdateStrategy = { batch_size = int; };
    BatchUpdateStrategy = { batch_size = int; autopause_after_batch = bool; };
    VariableBatchUpdateStrategy = { batch_sizes = req (listOf int); autopause_after_batch = bool; };
    UpdateConfig = {
      batch_size = int;
      watch_secs = int;
      max_per_shard_failures = int;
      max_total_failures = int;
      rollback_on_failure = bool;
      wait_for_batch_completion = bool;
      pulse_interval_secs = int;
      sla_aware = bool;
      update_strategy =
        choice [ "QueueUpdateStrategy" "BatchUpdateStrategy" "VariableBatchUpdateStrategy" ];
    };
    HttpHealthChecker = { endpoint = string; expected_response = string; expected_response_code = int; };
    ShellHealthChecker = { shell_command = req string; };
    HealthCheckerConfig = { http = struct "HttpHealthChecker"; shell = struct "ShellHealthChecker"; };
    HealthCheckConfig = {
      health_checker = struct "HealthCheckerConfig";
      initial_interval_secs = float;
      interval_secs = float;
      max_consecutive_failures = int;
      min_consecutive_successes = int;
      timeout_secs = float;
    };
    HttpLifecycleConfig = {
      port = string;
      graceful_shutdown_endpoint = string;
      shutdown_endpoint = string;
      graceful_shutdown_wait_secs = int;
      shutdown_wait_secs = int;
    };
    LifecycleConfig = { http = struct "HttpLifecycleConfig"; };
    Announcer = { primary_port = string; portmap = mapOf string; zk_path = string; };
    Parameter = { name = req string; value = req string; };
    Docker = { image = req string; parameters = listOf (struct "Parameter"); };
    Container = { docker = struct "Docker"; };
    AppcImage = { name = req string; image_id = req string; };
    DockerImage = { name = req string; tag = req string; };
    Volume = { container_path = req string; host_path = req string; mode = req (enum [ "RO" "RW" ]); };
    Mesos = { image = choice [ "AppcImage" "DockerImage" ]; volumes = listOf (struct "Volume"); };
    Metadata = { key = req string; value = req string; };
    ExecutorConfig = { name = string; data = string; };
    PartitionPolicy = { reschedule = bool; delay_secs = int; };
    PercentageSlaPolicy = { percentage = req float; duration_secs = req int; };
    CountSlaPolicy = { count = req int; duration_secs = req int; };
    CoordinatorSlaPolicy = { coordinator_url = req string; status_key = string; };
    Job = {
      name = string;
      role = req string;
      contact = string;
      cluster = req string;
      environment = req string;
      instances = int;
      task = req (struct "Task");
      announce = struct "Announcer";
      tier = string;
      cron_schedule = string;
      cron_collision_policy = string;
      update_config = struct "UpdateConfig";
      constraints = mapOf string;
      metadata = listOf (struct "Metadata");
      service = bool;
      max_task_failures = int;
      production = bool;
      priority = int;
      health_check_config = struct "HealthCheckConfig";
      lifecycle = struct "LifecycleConfig";
      task_links = mapOf string;
      executor_config = struct "ExecutorConfig";
      enable_hooks = bool;
      partition_policy = struct "PartitionPolicy";
      sla_policy = choice [ "CoordinatorSlaPolicy" "CountSlaPolicy" "PercentageSlaPolicy" ];
      container = choice [ "Container" "Docker" "Mesos" ];
    };
  };

  # Checks `attrs` against the schema of struct `name` and returns the value, tagged with its
  # struct name in `_aurora` (removed when the job is written out). `pos` is where the set was
  # written (for errors that concern the whole set, such as a missing attribute).
  make = name: pos: attrs:
    let
      schema = schemas.${name};
      fields = attrNames schema;
      given = if isAttrs attrs then attrs else fail pos "${name}: expected an attribute set, got ${describe attrs}";
      unknown = filter (a: !(hasAttr a schema)) (attrNames given);
      missing = filter (a: (schema.${a}.required or false) && (given.${a} or null) == null) fields;
      here = if setPos given != null then setPos given else pos;
      checked = listToAttrs (map
        (a: { name = a; value = check "${name}.${a}" (posOf a given) schema.${a} given.${a}; })
        (filter (a: given.${a} != null) (attrNames given)));
    in
    if unknown != [ ] then
      let a = head unknown; in
      fail (posOf a given) "${name}: unknown attribute '${a}'${suggest a fields}"
    else if missing != [ ] then
      fail here "${name}: missing attribute '${head missing}'"
    else checked // listDefaults name given // { _aurora = name; }
      # Where the job key's parts were written, so the tool can name the line of a bad one.
      // (if name == "Job" then { _pos = keyPositions given; } else { });

  keyPositions = given:
    listToAttrs (map (a: { name = a; value = posOf a given; })
      [ "cluster" "role" "environment" "name" ]);

  # Aurora's Docker and Mesos containers differ only in their second field, and a batch update
  # strategy from a queue only in autopause_after_batch, so one that leaves it out gets its
  # default here: the model and Aurora's JSON then tell them apart.
  listDefaults = name: given:
    if name == "Mesos" && (given.volumes or null) == null then { volumes = [ ]; }
    else if name == "Docker" && (given.parameters or null) == null then { parameters = [ ]; }
    else if name == "BatchUpdateStrategy" && (given.autopause_after_batch or null) == null
    then { autopause_after_batch = false; }
    else { };

  constructor = name: attrs: make name null attrs;

  constructors = listToAttrs (map (n: { name = n; value = constructor n; }) (attrNames schemas));

  # --- process scripts ----------------------------------------------------------------------

  storeNameChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-._?=";

  # A valid store path name: characters Nix does not allow become '_', at most 207 characters
  # (Nix's limit is 211, and the derivation's own path adds ".drv").
  storeName = s:
    let
      chars = genList (i: substring i 1 s) (stringLength s);
      mapped = concatStringsSep "" (map
        (c: if builtins.match "[A-Za-z0-9+._?=-]" c != null then c else "_")
        chars);
    in substring 0 207 mapped;

  # The store path whose content is `text`, byte for byte; its references are the store paths
  # `text` mentions. Plain `derivation`: /bin/sh's builtins only (read, printf), so it builds in
  # a sandbox too. passAsFile lifts the size limit of environment variables.
  textFile = system: name: text: derivation {
    inherit system;
    name = storeName name;
    builder = "/bin/sh";
    args = [ "-c" ''
      {
        while IFS= read -r line; do printf '%s\n' "$line"; done
        printf '%s' "$line"
      } < "$textPath" > "$out"
    '' ];
    inherit text;
    passAsFile = [ "text" ];
    preferLocalBuild = true;
    allowSubstitutes = false;
  };

  # The process scripts of a job as ONE derivation with an output per process: the output named
  # after the process is the store path <drvName>-<process>, the same name `textFile` would give
  # it, and Nix scans each output for references on its own, so each script's closure is still
  # exactly its process's. Only for processes whose names are usable as output names as they are
  # (store path characters, no Nix attribute name such as `allowedReferences`, not too long);
  # `processScripts` falls back to a derivation per process otherwise. `entries` is a list of
  # { name; text; }. The builder script goes in a file (passAsFile): as an argument it would hit
  # the kernel's 128 KiB limit on one argument. `after` (a list of store paths) are inputs the
  # scripts do not reference: they only order the builds (see processScripts).
  scriptSet = system: drvName: entries: after:
    let
      indexed = genList (i: (elemAt entries i) // { attr = "__auroraText${toString i}"; })
        (length entries);
      # A short text is an environment variable, written with one printf; a long one a file
      # (passAsFile: an environment string has a 128 KiB limit), copied line by line, which
      # costs dash a system call per byte.
      small = e: stringLength e.text <= 4096;
      copy = e: if small e then ''
        printf '%s' "${"$"}${e.attr}" > ${builtins.placeholder e.name}
      '' else ''
        {
          while IFS= read -r line; do printf '%s\n' "$line"; done
          printf '%s' "$line"
        } < "''${${e.attr}Path}" > ${builtins.placeholder e.name}
      '';
      drv = derivation ({
        inherit system;
        name = drvName;
        outputs = map (e: e.name) entries;
        builder = "/bin/sh";
        args = [ "-c" ". \"$__auroraScriptPath\"" ];
        __auroraScript = concatStringsSep "" (map copy indexed);
        passAsFile = [ "__auroraScript" ] ++ map (e: e.attr) (filter (e: !(small e)) indexed);
        preferLocalBuild = true;
        allowSubstitutes = false;
        # An input only, never referenced: orders this derivation's build after `after`'s.
        __auroraAfter = after;
      } // listToAttrs (map (e: { name = e.attr; value = e.text; }) indexed));
    in listToAttrs (map (e: { inherit (e) name; value = drv.${e.name}; }) entries);

  # Output names Nix gives a meaning of its own or that scriptSet's derivation uses.
  reservedOutputNames = [
    "out" "drv" "name" "system" "builder" "args" "outputs" "passAsFile" "preferLocalBuild"
    "allowSubstitutes" "outputHash" "outputHashAlgo" "outputHashMode" "allowedReferences"
    "allowedRequisites" "disallowedReferences" "disallowedRequisites" "exportReferencesGraph"
    "impureEnvVars" "requiredSystemFeatures" "unsafeDiscardReferences" "outputChecks"
  ];

  # How many process scripts one derivation makes. Nix's own work on a derivation's outputs
  # grows faster than their number (realising 200 outputs took 0.27 s, 1,000 2.1 s, 2,000 6.7 s),
  # so a job with thousands of processes gets several derivations (bench/README.md).
  scriptsPerDerivation = 100;
  # Jobs of at most this many processes get a derivation per script (see the top of this file).
  groupAbove = 1;

  # The process scripts of `processes`, keyed by process name: a derivation per
  # scriptsPerDerivation of them when there are more than groupAbove and every name can be an
  # output name, else one per process (textFile).
  processScripts = system: prefix: processes:
    let
      drvName = storeName prefix;
      usable = p:
        builtins.match "[A-Za-z0-9_][A-Za-z0-9_.+-]*" p.name != null
        && substring 0 2 p.name != "__"
        && !(builtins.elem p.name reservedOutputNames)
        && stringLength drvName + 1 + stringLength p.name <= 207;
      n = length processes;
      # Chunks of at most scriptsPerDerivation processes, in order.
      chunk = c: genList (i: let p = elemAt processes (c * scriptsPerDerivation + i); in
          { inherit (p) name; text = p.cmdline; })
        (let left = n - c * scriptsPerDerivation; in
         if left < scriptsPerDerivation then left else scriptsPerDerivation);
      chunks = genList chunk ((n + scriptsPerDerivation - 1) / scriptsPerDerivation);
    in
    if n > groupAbove && builtins.all usable processes
    # Each derivation has the previous one as an input: built one after the other, Nix never has
    # them all waiting for a build slot at once (with max-jobs = 1, Nix 2.8 wakes every waiting
    # derivation, which locks all its outputs again, whenever a build ends: quadratic).
    then (foldl'
      (acc: c:
        let set = scriptSet system drvName c acc.last;
        in { scripts = acc.scripts // set; last = [ set.${(head c).name} ]; })
      { scripts = { }; last = [ ]; }
      chunks).scripts
    else listToAttrs (map
      (p: { name = p.name; value = textFile system "${prefix}-${p.name}" p.cmdline; })
      processes);

  # Removes the `_aurora` tags (and `_pos`), recursively: what is left is Aurora's job JSON.
  untag = v:
    if isAttrs v then builtins.mapAttrs (_: untag) (removeAttrs v [ "_aurora" "_pos" ])
    else if isList v then map untag v
    else v;

  asJob = job:
    if isAttrs job && (job._aurora or null) == "Job" then job
    else if isAttrs job && !(job ? _aurora) then constructors.Job job
    else throw "the job file must evaluate to a Job or Service, got ${describe job}";

  # The job with its defaults that the tool needs (the name), and the process scripts.
  build = { job, system ? builtins.currentSystem }:
    let
      j = asJob job;
      task = j.task;
      name = j.name or (task.name or (head task.processes).name);
      prefix = "aurora-process-${j.cluster}-${j.role}-${j.environment}-${name}";
      # Counted through an attribute set (one pass) rather than a filter per name (n^2).
      counts = builtins.zipAttrsWith (_: vs: length vs)
        (map (p: { ${p.name} = null; }) task.processes);
      duplicates = filter (n: counts.${n} > 1) (map (p: p.name) task.processes);
    in
    if task.processes == [ ] then throw "Task.processes: a task needs at least one process (Thermos would end it at once, having run nothing)"
    else if duplicates != [ ] then throw "Task.processes: two processes are named '${head duplicates}' (Thermos would silently run only one of them)"
    else {
      job = untag (j // { inherit name; });
      key_positions = j._pos or { };
      scripts = processScripts system prefix task.processes;
      inherit system;
    };
in
constructors // rec {
  inherit build storeName textFile;

  # Aurora's Service: a Job with service = true.
  Service = attrs:
    if isAttrs attrs then make "Job" null (attrs // { service = true; })
    else fail null "Service: expected an attribute set, got ${describe attrs}";

  # Thermos' order(...): order [ "a" "b" ] is a Constraint running a before b.
  order = processes: constructors.Constraint { order = processes; };

  # Thermos' helpers (schema_helpers.py), with the same meaning.
  # SequentialTask: a Task whose processes run one after the other, in list order.
  SequentialTask = attrs:
    if !(isAttrs attrs) then fail null "SequentialTask: expected an attribute set, got ${describe attrs}"
    else constructors.Task (attrs // {
      constraints = (attrs.constraints or [ ])
        ++ [ (order (map (p: p.name or (fail (setPos attrs) "SequentialTask: a process has no name"))
                         (attrs.processes or [ ]))) ];
    });

  # SimpleTask name command: one process, 1 CPU, 1 GB of RAM and of disk.
  SimpleTask = name: command: constructors.Task {
    inherit name;
    processes = [ (constructors.Process { inherit name; cmdline = command; }) ];
    resources = constructors.Resources { cpu = 1; ram = GB; disk = GB; };
  };

  # Aurora's size units, in bytes.
  B = 1;
  KB = 1024 * B;
  MB = 1024 * KB;
  GB = 1024 * MB;
  TB = 1024 * GB;
  BYTES = B;
}

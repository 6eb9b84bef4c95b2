/**
 * `synapse completion bash|zsh|fish`: scripts generated from the command tree, so they never
 * drift from it. Package names for remove, why and update come from the nearest synapse.lock,
 * read by the shell itself (no Node start per Tab).
 */
import type { Command } from 'commander';
import { userError } from './errors.ts';

/** The words a command completes to: its sub-commands (with aliases) and long options. */
export interface CompletionNode {
  /** Space-separated path under `synapse`: "", "pkg", "pkg token". */
  path: string;
  words: string[];
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

// The commands whose arguments are packages already in the project.
const LOCKED_NAMES = ['pkg remove', 'pkg rm', 'pkg why', 'pkg update', 'pkg up'];

/** The completion table for a commander program. */
export function completionTree(program: Command): CompletionNode[] {
  const out: CompletionNode[] = [];
  const visit = (cmd: Command, path: string) => {
    const subs = cmd.commands.filter((c) => c.name() !== 'help');
    const options = cmd.options.map((o) => o.long).filter((l): l is string => typeof l === 'string');
    out.push({ path, words: [...subs.flatMap((c) => [c.name(), ...c.aliases()]), ...options, '--help'] });
    for (const sub of subs) for (const name of [sub.name(), ...sub.aliases()]) visit(sub, path ? `${path} ${name}` : name);
  };
  visit(program, '');
  return out;
}

const FIND_LOCK = `dir=$PWD
  while :; do
    if [ -f "$dir/synapse.lock" ]; then awk '$1 == "package" { print $2 }' "$dir/synapse.lock"; return; fi
    [ "$dir" = / ] && return
    dir=$(dirname "$dir")
  done`;

function bash(tree: CompletionNode[]): string {
  const cases = tree
    .map((n) => `    "${n.path}") echo "${n.words.join(' ')}${LOCKED_NAMES.includes(n.path) ? ' $(_synapse_locked)' : ''}" ;;`)
    .join('\n');
  return `# synapse completion for bash (and zsh through bashcompinit)
_synapse_locked() {
  local ${FIND_LOCK}
}
_synapse_words() {
  case "$1" in
${cases}
  esac
}
_synapse() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" w i
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in -*) continue ;; esac
    case " $(_synapse_words "$path") " in *" $w "*) path="\${path:+$path }$w" ;; esac
  done
  COMPREPLY=($(compgen -W "$(_synapse_words "$path")" -- "$cur"))
}
complete -F _synapse synapse
`;
}

function zsh(tree: CompletionNode[]): string {
  return `#compdef synapse
# synapse completion for zsh: the bash completion through bashcompinit
autoload -U +X bashcompinit && bashcompinit
${bash(tree)}`;
}

function fish(tree: CompletionNode[]): string {
  const cases = tree
    .map(
      (n) =>
        `        case '${n.path}'\n            echo ${n.words.join(' ')}${LOCKED_NAMES.includes(n.path) ? '\n            __synapse_locked' : ''}`,
    )
    .join('\n');
  return `# synapse completion for fish
function __synapse_locked
    set -l dir $PWD
    while true
        if test -f "$dir/synapse.lock"
            awk '$1 == "package" { print $2 }' "$dir/synapse.lock"
            return
        end
        test "$dir" = / && return
        set dir (dirname "$dir")
    end
end
function __synapse_words
    switch "$argv[1]"
${cases}
    end
end
function __synapse_complete
    set -l path ''
    for w in (commandline -opc)[2..-1]
        string match -q -- '-*' $w && continue
        if contains -- $w (string split ' ' (__synapse_words "$path"))
            set path (string trim -- "$path $w")
        end
    end
    string split ' ' (__synapse_words "$path")
end
complete -c synapse -f -a '(__synapse_complete)'
`;
}

/** The script for one shell; another shell is a usage error naming the ones there are. */
export function completionScript(shell: string, tree: CompletionNode[]): string {
  if (shell === 'bash') return bash(tree);
  if (shell === 'zsh') return zsh(tree);
  if (shell === 'fish') return fish(tree);
  throw userError(
    'invalid_shell',
    `No completion for "${shell}"`,
    `Use one of ${SHELLS.join(', ')}: e.g. synapse completion bash >> ~/.bashrc`,
  );
}

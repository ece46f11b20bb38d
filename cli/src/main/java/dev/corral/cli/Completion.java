package dev.corral.cli;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * corral's bash completion: picocli's generated script for commands and options, plus a hook that
 * completes names from the live daemon where a command takes them: container ids ({@code corral ps
 * -aq}) for an ID, pod uids ({@code pod ls -aq}) for a UID and {@code --pod}, namespaces ({@code
 * namespace ls -q}) for an NS and {@code -n}/{@code --namespace}. At any position for commands that
 * take several ({@code kill}, {@code rm}, ...), only as the first positional for the others ({@code
 * exec ID CMD...}, {@code logs ID}). The hook asks the socket the command line names ({@code
 * --socket}), else {@code $CORRAL_SOCKET}, else the default, in the namespace it names ({@code
 * -n}), and adds nothing when no socket is there or the daemon does not answer.
 *
 * <p>Stateless.
 */
final class Completion {
  private static final String HOOK =
      """
      # Added by corral to picocli's script: container ids, pod uids and namespaces from the
      # live daemon.
      function _corral_ids_mode() {
        case "$1" in
      @MODES@    *) echo none ;;
        esac
      }

      function _corral_takes_value() {
        case "$1 $2" in
      @VALUES@  esac
        return 1
      }

      function _corral_is_group() {
        case "$1" in
      @GROUPS@  esac
        return 1
      }

      # $1: containers, pods or namespaces; asks the socket and namespace the line names.
      function _corral_names() {
        local sock=${CORRAL_SOCKET:-@SOCKET@} ns=() i
        for ((i = 1; i + 1 < COMP_CWORD; i++)); do
          case "${COMP_WORDS[i]}" in
            --socket) sock=${COMP_WORDS[i+1]} ;;
            -n | --namespace) ns=(--namespace "${COMP_WORDS[i+1]}") ;;
          esac
        done
        [ -S "$sock" ] || return 0
        case "$1" in
          containers) set -- ps -aq ;;
          pods) set -- pod ls -aq ;;
          namespaces) set -- namespace ls -q ;;
        esac
        timeout 10 "${COMP_WORDS[0]}" --socket "$sock" "${ns[@]}" "$@" 2>/dev/null
      }

      function _corral_reply() {
        local IFS=$'\\n'
        COMPREPLY+=( $(compgen -W "$(_corral_names "$1")" -- "$2") )
      }

      function _complete_corral_with_ids() {
        _complete_corral "$@"
        local curr=${COMP_WORDS[COMP_CWORD]} cmd="" seen=0 mode names i w
        [[ "$curr" == -* ]] && return 0
        case "${COMP_WORDS[COMP_CWORD-1]}" in
          -n | --namespace) _corral_reply namespaces "$curr"; return 0 ;;
          --pod) _corral_reply pods "$curr"; return 0 ;;
        esac
        for ((i = 1; i < COMP_CWORD; i++)); do
          w=${COMP_WORDS[i]}
          if [ -z "$cmd" ] || _corral_is_group "$cmd"; then
            case "$w" in
              --socket | -n | --namespace) i=$((i + 1)) ;;
              -*) ;;
              *) cmd="${cmd:+$cmd }$w" ;;
            esac
            continue
          fi
          case "$w" in
            -*=* | --) ;;
            -*) if _corral_takes_value "$cmd" "$w"; then i=$((i + 1)); fi ;;
            *) seen=$((seen + 1)) ;;
          esac
        done
        read -r mode names <<< "$(_corral_ids_mode "$cmd")"
        [ "$mode" = none ] && return 0
        [ "$mode" = first ] && [ "$seen" -gt 0 ] && return 0
        _corral_takes_value "$cmd" "${COMP_WORDS[COMP_CWORD-1]}" && return 0
        _corral_reply "$names" "$curr"
        return 0
      }

      complete -F _complete_corral_with_ids -o default corral corral.sh corral.bash
      """;

  private Completion() {}

  /** The whole script for {@code root}'s command tree. */
  static String script(CommandLine root) {
    String picocli = AutoComplete.bash("corral", root);
    int register = picocli.lastIndexOf("complete -F _complete_corral");
    StringBuilder modes = new StringBuilder();
    idModes(root).forEach((cmd, mode) -> modes.append(line("\"" + cmd + "\") echo " + mode)));
    StringBuilder values = new StringBuilder();
    StringBuilder groups = new StringBuilder();
    walk(root, "", values, groups);
    return picocli.substring(0, register)
        + HOOK.replace("@MODES@", modes)
            .replace("@VALUES@", values)
            .replace("@GROUPS@", groups)
            .replace("@SOCKET@", Main.DEFAULT_SOCKET);
  }

  /** What each positional label names, as the hook's {@code _corral_names} takes it. */
  private static final Map<String, String> NAMES =
      Map.of("ID", "containers", "UID", "pods", "NS", "namespaces");

  /**
   * Each command path taking names ("kill", "checkpoint ls", "pod rm"), how (any or first) and
   * which: "any containers", "first containers", "any pods", "any namespaces".
   */
  static Map<String, String> idModes(CommandLine root) {
    Map<String, String> modes = new LinkedHashMap<>();
    forEach(
        root,
        "",
        (path, cl) -> {
          List<PositionalParamSpec> ps = cl.getCommandSpec().positionalParameters();
          String names = ps.isEmpty() ? null : NAMES.get(ps.get(0).paramLabel());
          if (names != null) {
            modes.put(path, (ps.get(0).arity().max() > 1 ? "any " : "first ") + names);
          }
        });
    return modes;
  }

  private static void walk(CommandLine root, String path, StringBuilder values, StringBuilder gs) {
    forEach(
        root,
        path,
        (p, cl) -> {
          Set<String> cases = new LinkedHashSet<>(); // an ArgGroup's options are listed twice
          for (OptionSpec o : cl.getCommandSpec().options()) {
            if (o.arity().max() > 0) {
              List.of(o.names()).forEach(n -> cases.add("\"" + p + " " + n + "\""));
            }
          }
          if (!cases.isEmpty()) {
            values.append(line(String.join(" | ", cases) + ") return 0"));
          }
          if (!cl.getSubcommands().isEmpty()) {
            gs.append(line("\"" + p + "\") return 0"));
          }
        });
  }

  private static String line(String pattern) {
    return "    " + pattern + " ;;\n";
  }

  private interface Visitor {
    void visit(String path, CommandLine cl);
  }

  private static void forEach(CommandLine cl, String path, Visitor v) {
    for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
      String p = (path + " " + e.getKey()).strip();
      v.visit(p, e.getValue());
      forEach(e.getValue(), p, v);
    }
  }
}

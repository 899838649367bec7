# bash-static, the language: arrays, associative arrays, [[ ]], arithmetic,
# here-strings, globbing, parameter expansion, set -euo pipefail.
exec 2>&1
a=(zero one "two words" three)
echo "${#a[@]} ${a[2]} ${a[-1]} ${a[*]:1:2}"
a+=(four); unset 'a[1]'; echo "${!a[@]} | ${a[@]}"
for x in "${a[@]}"; do printf '<%s>' "$x"; done; echo
mapfile -t lines < data/fruits.txt; echo "mapfile: ${#lines[@]} ${lines[3]}"
readarray -t -s 38 tail < data/numbers.txt; echo "${tail[@]}"
declare -A m=([oslo]=31 [lima]=27)
m[rome]=45; ((m[lima] += 1))
for k in $(printf '%s\n' "${!m[@]}" | sort); do echo "$k=${m[$k]}"; done
[[ -v m[oslo] ]] && echo has-oslo; [[ -v m[paris] ]] || echo no-paris
declare -A count; while read -r f; do count[$f]=$(( ${count[$f]:-0} + 1 )); done < data/fruits.txt
for k in "${!count[@]}"; do echo "$k ${count[$k]}"; done | sort
s="hello world"
[[ $s == hel* ]] && echo glob-match
[[ $s =~ ^(h[a-z]+)\ (w.*)$ ]] && echo "regex: ${BASH_REMATCH[1]} / ${BASH_REMATCH[2]}"
[[ -f data/fruits.txt && ! -d data/fruits.txt ]] && echo file-not-dir
[[ abc < abd ]] && echo string-less
[[ -n $s || -z $s ]] && echo or-ok
echo $(( 2 ** 10 )) $(( 17 / 5 )) $(( 17 % 5 )) $(( -17 / 5 )) $(( 1 << 40 )) $(( 0x1f | 0100 )) $(( 7 > 3 ? 1 : 0 ))
i=5; (( i++ )); (( i *= 3 )); echo "i=$i"; (( 0 )) || echo "(( 0 )) is false"
let "j = i / 4" "k = j * j"; echo "j=$j k=$k"
echo $(( 9223372036854775807 + 1 ))
declare -i n=10; n+=5; echo "n=$n"
tr a-z A-Z <<< "here string $s"
read -r w1 w2 <<< "first second third"; echo "$w2 / $w1"
IFS=, read -r -a parts <<< "x,y,,z"; echo "${#parts[@]}: ${parts[*]}"
v=/path/to/file.tar.gz
echo "${v##*/} ${v%%.*} ${v#*/} ${v%.gz} ${v/to/TO} ${v//t/T} ${#v} ${v:3:4} ${v^^} ${undef:-dflt} ${s@Q}"
printf -v pv '%05d' 42; echo "$pv"
shopt -s nullglob; g=(data/*.none); echo "nullglob: ${#g[@]}"; shopt -u nullglob
echo data/*.txt; echo data/[fn]*; echo data/s?b; echo data/{fruits,people}.*
shopt -s globstar; echo data/**/*.txt; shopt -u globstar
shopt -s extglob
echo data/!(*.txt|sub); echo data/@(f|p)*; echo ${v//+([a-z])/w}
shopt -u extglob
echo {1..5} {a..e..2} {01..03} x{A,B}y
f() { local -n ref=$1; ref=changed; }; orig=orig; f orig; echo "nameref: $orig"
g() { echo "args $# ${FUNCNAME[0]} $1"; return 7; }; g one two; echo "ret $?"
case "x.tar.gz" in *.zip) echo zip ;; *.tar.*) echo tarball ;;& *gz) echo gz ;; esac
# set -e / -u / pipefail, each in a subshell whose status is shown
( set -e; false; echo not-reached ); echo "set -e: $?"
( set -e; false || true; if false; then :; fi; echo "set -e survives || and if" )
( set -u; echo "${nope}"; echo not-reached ); echo "set -u: $?"
( set -o pipefail; false | true; echo "pipefail: $?"; true | (exit 3) | true; echo "pipefail: $?" )
( set -euo pipefail; x=$(echo ok); echo "$x"; grep -q zzz data/fruits.txt | cat; echo not-reached ); echo "euo: $?"
( set -e; f() { false; echo in-f-after-false; }; f; echo not-reached ); echo "set -e in function: $?"
echo "PIPESTATUS:"; true | false | (exit 4); echo "${PIPESTATUS[@]}"

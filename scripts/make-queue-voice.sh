#!/usr/bin/env bash
# Makes the queue board's Thai voice clips (assets/audio/queue/*.mp3) from the word list
# assets/audio/queue/words.tsv, with espeak-ng's Thai voice and LAME: once, by a developer; the
# clips are committed and embedded in the binary, so boards speak with no internet link and no
# speech engine on the server. Debian: apt-get install espeak-ng lame.
#
# MP3 because every browser a board runs on plays it (Android TV sticks, old Safari); 16 kHz mono
# at 24 kbit/s keeps a clip near 2 KB, all of them well under 1 MB. Silence before and after the
# voice is cut (to 40 ms, by python3's standard library) so that the clips join into one sentence.
#
# Usage: scripts/make-queue-voice.sh            (rewrites every clip)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in espeak-ng lame python3; do
  command -v "$tool" >/dev/null || { echo "ต้องติดตั้ง $tool ก่อน (apt-get install espeak-ng lame)" >&2; exit 1; }
done
out=assets/audio/queue
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
count=0
while IFS=$'\t' read -r clip text; do
  case "$clip" in ''|'#'*) continue ;; esac
  # -s: words per minute (slower than the default 175: a hall echoes); -g 0: no gap after words.
  espeak-ng -v th -s 140 -g 0 -w "$tmp/$clip.wav" "$text"
  python3 - "$tmp/$clip.wav" <<'PY'
import struct, sys, wave
path = sys.argv[1]
with wave.open(path) as w:
    params, frames = w.getparams(), w.readframes(w.getnframes())
samples = struct.unpack("<%dh" % (len(frames) // 2), frames)
loud = [i for i, v in enumerate(samples) if abs(v) > 300]
keep = int(params.framerate * 0.04)
start, end = max(loud[0] - keep, 0), min(loud[-1] + keep, len(samples))
with wave.open(path, "wb") as w:
    w.setparams(params)
    w.writeframes(frames[start * 2:end * 2])
PY
  lame --quiet -m m --resample 16 -b 24 "$tmp/$clip.wav" "$out/$clip.mp3"
  count=$((count + 1))
done < "$out/words.tsv"
echo "made $count clips: $(du -cb "$out"/*.mp3 | tail -1 | cut -f1) bytes in $out"

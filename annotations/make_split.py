"""Draw the fixed dev/test split (run once, before any rule was tuned; the result is committed).

Seeds are dev: issue 2's extractor was written against them, so they cannot measure it.
Corpus pages are stratified by layout (how the page text is laid out, read off the text, not
by the extractor) and drawn at random with a fixed seed; test gets ceil(35%) of each stratum,
which puts more than a third of all pages in test and every layout of the corpus in it.
The only "innovation" page is seed 001, so that kind exists in dev only.

Batch 2 (annotations/batch2/, 200 newer pages, issue 14) gets its own split, drawn before any of
its pages was annotated or looked at through the extractor: `dev2` (two thirds, to develop on)
and `fresh` (one third, never read for errors until the end), stratified by the corpus index's
kind (news / other / idf) with seed 20261203. dev and test are drawn exactly as before.

Batch 3 (annotations/written/, 80 pages written for this project by four writer-annotators who never
saw the extractor, issue 14 and 15, sixth session; GUIDELINE.md §9) gets its own split, drawn from
the file names alone (written_<slice>_<NN>) before any of its pages was run through the extractor:
`written_dev` (half of each writer's slice, to develop on) and `written_fresh` (the other half,
never read for errors until the end), seed 20261204.

Batch 4 (annotations/written/written_{e,f,g,h}_NN, 80 more written pages, eighth session; GUIDELINE.md
§10) likewise, from the file names alone and before any of its pages was run through the
extractor: `written2_fresh` (a quarter of each writer's slice, never read for errors) and
`written2_dev` (the rest, to develop on), seed 20261205.

Batch 5 (annotations/written/written_{i,j,k,l}_NN, 48 more written pages, fifteenth session;
GUIDELINE.md §11) likewise, from the file names alone and before any of its pages was run through
the extractor: `written3_fresh` (half of each writer's slice, never read for errors) and
`written3_dev` (the other half), seed 20261207. Neither is a training split yet: the batch was made
so that a rule written from the errors of the training pages is judged on pages its author has not
read (README "Fifteenth session").

Batch 6 (annotations/written/written_{m,n,o,p}_NN, 32 written pages, sixteenth session; GUIDELINE.md
§12) is held out whole: `written4_fresh`, no dev half. It was written, unthemed, to settle one
question decided before it existed (README "Sixteenth session"): whether that session's change
reads pages of an ordinary batch better than the code it replaces.

Batch 7 (annotations/written/written_{q,r,s,t}_NN, 32 written pages, seventeenth session;
GUIDELINE.md §13) was held out whole likewise, the arbiter of the seventeenth session's change
(its decision rule written down before the pages existed), scored once per version; after that it
was opened for development: `written5_dev` (README "Seventeenth session").

Batch 8 (annotations/written/written_{u,v,w,x}_NN, 32 written pages, eighteenth session;
GUIDELINE.md §14) was held out whole likewise, the arbiter of the eighteenth session's change (its
decision rule written down before the pages existed), scored once per version; after that it was
opened for development: `written6_dev` (README "Eighteenth session").

Batch 9 (annotations/written/written_{y,z,aa,ab}_NN, 32 written pages, nineteenth session;
GUIDELINE.md §15) was held out whole likewise, the arbiter of the nineteenth session's change (its
decision rule written down before the pages existed), scored once per version; after that it was
opened for development: `written7_dev` (README "Nineteenth session").

Batch 10 (annotations/written/written_{ac,ad,ae,af}_NN, 32 written pages, twentieth session;
GUIDELINE.md §16) was held out whole likewise, the arbiter of the twentieth session's change (its
decision rule written down before the pages existed), scored once per version; after that it was
opened for development: `written8_dev` (README "Twentieth session").

Batch 11 (annotations/written/written_{ag,ah,ai,aj}_NN, 32 written pages, twentieth session;
GUIDELINE.md §17) was held out whole likewise (`written9_fresh`), the arbiter of the twentieth
session's second change (its decision rule written down before the pages existed), scored once per
version; after that it was opened for development: `written9_dev` (README "Twentieth session").

Batch 12 (annotations/written/written_{ak,al,am,an}_NN, 32 written pages, twenty-first session;
GUIDELINE.md §18) is held out whole likewise (`written10_fresh`), the arbiter of the twenty-first
session's change (its decision rule written down before the pages existed), scored once per
version; after that it was opened for development: `written10_dev` (README "Twenty-first session").

Batch 13 (annotations/written/written_{ao,ap,aq,ar}_NN, 32 written pages, twenty-first session;
GUIDELINE.md §19) is held out whole likewise (`written11_fresh`), the arbiter of the twenty-first
session's second change (its decision rule written down before the pages existed), scored once per
version; after that it was opened for development: `written11_dev` (README "Twenty-first session").

Batch 14 (annotations/written/written_{as,at,au,av}_NN, 32 written pages in the crawl's shape: cut at
2,000 bytes under the crawled sites' headers, twenty-second session; GUIDELINE.md §20) is held out
whole likewise (`written12_fresh`), the arbiter of the twenty-second session's first candidate (its
decision rule written down before the pages existed), scored once per version; after that it was
opened for development: `written12_dev` (README "Twenty-second session").

Batch 15 (annotations/written/written_{aw,ax,ay,az}_NN, 32 more pages in the crawl's shape,
twenty-second session; GUIDELINE.md §21) is held out whole likewise (`written13_fresh`), the arbiter of
the twenty-second session's second candidate, scored once per version; after that it was opened
for development: `written13_dev` (README "Twenty-second session").

Batch 16 (annotations/written/written_{ba,bb,bc,bd}_NN, 32 more pages in the crawl's shape,
twenty-second session; GUIDELINE.md §22) is held out whole (`written14_fresh`), the arbiter of the
twenty-second session's third candidate, and kept held out: a never-tuned split for later sessions.

Batch 17 (annotations/written/written_{be,bf,bg,bh}_NN, 32 more pages in the crawl's shape,
twenty-third session; GUIDELINE.md §23) was held out whole (`written15_fresh`) and scored once with
the shipped code; after that it was opened for development: `written15_dev` (README "Twenty-third
session").

Batch 18 (annotations/written/written_{bi,bj,bk,bl}_NN, 32 more pages in the crawl's shape,
twenty-third session; GUIDELINE.md §24) was held out whole (`written16_fresh`), the arbiter of the
twenty-third session's first candidate; after that it was opened for development: `written16_dev`
(README "Twenty-third session").

Batch 19 (annotations/written/written_{bm,bn,bo,bp}_NN, 32 more pages in the crawl's shape,
twenty-third session; GUIDELINE.md §25) was held out whole (`written17_fresh`), the arbiter of the
twenty-third session's second candidate. Batch 20 (annotations/written/written_{bq,br,bs,bt}_NN, 32
pages in the crawl's shape with varied page furniture; GUIDELINE.md §26) was held out whole
(`written18_fresh`) and scored once with the shipped code. After that both were opened for
development: `written17_dev`, `written18_dev` (README "Twenty-third session").

Batch 21 (annotations/written/written_{bu,bv,bw,bx}_NN, 32 more pages with varied page furniture,
twenty-third session; GUIDELINE.md §27) is held out whole (`written19_fresh`), the arbiter of the
twenty-third session's third candidate, and kept held out: a never-tuned split for later sessions.

Batch 22 (annotations/written/written_{by,bz,ca,cb}_NN, 32 pages in the crawl's shape whose budgets,
periods, durations and lists are stated in varied prose, twenty-sixth session; GUIDELINE.md §28) was held
out whole (`written20_fresh`) and scored once with the shipped code, then opened for development:
`written20_dev` (README "Twenty-sixth session").

Batch 23 (annotations/written/written_{cc,cd,ce,cf}_NN, 32 more pages in the crawl's shape whose budgets,
periods, durations and lists are stated through a sentence's structure rather than the common formulas,
twenty-seventh session; GUIDELINE.md §29) was held out whole (`written21_fresh`) and scored once with the
shipped code, then opened for development: `written21_dev` (README "Twenty-seventh session").

Batch 24 (annotations/written/written_{cg,ch,ci,cj}_NN, 32 more pages in the crawl's shape, a quarter of
them standing pages of kind other, values stated in prose the formulas of earlier batches do not cover,
twenty-eighth session; GUIDELINE.md §30) was held out whole (`written22_fresh`) and scored once with the
shipped code, then developed on by a candidate that its blind measurement turned down: `written22_read`,
neither trained on nor blind (README "Twenty-eighth session").

Batch 25 (annotations/written/written_{ck,cl,cm,cn}_NN, 32 more such pages written to the same brief, with
batch 24's own structures added to those to avoid, twenty-eighth session; GUIDELINE.md §31) is an arbiter
held out whole and kept held out (`written23_fresh`): scored once with the shipped code, no error of it read.

Batch 26 (annotations/written/written_{co,cp,cq,cr}_NN, 32 more such pages written to batch 25's brief,
twenty-ninth session; GUIDELINE.md §32) is another arbiter held out whole and kept held out
(`written24_fresh`): scored once with the shipped code, no error of it read.

Batch 27 (annotations/written/written_{cs,ct,cu,cv}_NN, 32 more such pages to the same brief, thirtieth
session; GUIDELINE.md §33) is another arbiter held out whole and kept held out (`written25_fresh`).

Batch 28 (annotations/written/written_{cw,cx,cy,cz}_NN, 32 more such pages to the same brief, thirtieth
session; GUIDELINE.md §33) is a development batch: scored once with the shipped code, then read
(`written26_read`: neither trained on nor blind).

Batch 29 (annotations/written/written_{da,db,dc,dd}_NN, 32 more such pages to the same brief,
thirty-first session; GUIDELINE.md §35) is another arbiter held out whole and kept held out
(`written27_fresh`).

Batch 30 (annotations/written/written_{de,df,dg,dh}_NN, 32 more such pages to the same brief,
thirty-first session; GUIDELINE.md §36) is a development batch: scored once with the shipped code,
then read (`written28_read`: neither trained on nor blind).

Batch 31 (annotations/written/written_{di,dj,dk,dl}_NN, 32 more such pages to the same brief,
thirty-first session; GUIDELINE.md §36) is another arbiter held out whole and kept held out
(`written29_fresh`).

Batch 32 (annotations/written/written_{dm,dn,do,dp}_NN, 32 more such pages to the same brief,
thirty-first session; GUIDELINE.md §37) is another arbiter held out whole and kept held out
(`written30_fresh`), for the thirty-second session's candidate.

Batch 33 (annotations/written/written_{dq,dr,ds,dt}_NN, 32 more such pages to the same brief,
thirty-second session; GUIDELINE.md §38) is another arbiter held out whole and kept held out
(`written31_fresh`), for the thirty-third session's candidate.

Batch 34 (annotations/written/written_{du,dv,dw,dx}_NN, 32 more such pages to the same brief,
thirty-second session; GUIDELINE.md §39) is another arbiter held out whole and kept held out
(`written32_fresh`), for a second candidate of the thirty-second session.

Batch 35 (annotations/written/written_{dy,dz,ea,eb}_NN, 32 more such pages to the same brief,
thirty-second session; GUIDELINE.md §39) is a development batch: scored once with the shipped code,
then read (`written33_read`: neither trained on nor blind).

Batch 36 (annotations/written/written_{ec,ed,ee,ef}_NN, 32 more such pages to the same brief,
thirty-third session; GUIDELINE.md §40) is a development batch: scored once with the shipped code,
then read (`written34_read`: neither trained on nor blind).

Batch 37 (annotations/written/written_{eg,eh,ei,ej}_NN, 32 more such pages to the same brief,
thirty-third session; GUIDELINE.md §40) is an arbiter held out whole and kept held out
(`written35_fresh`).

Batch 38 (annotations/written/written_{ek,el,em,en}_NN, 32 more such pages to the same brief,
thirty-third session; GUIDELINE.md §41) is an arbiter held out whole and kept held out
(`written36_fresh`), for the thirty-fourth session's candidate.

Batch 39 (annotations/written/written_{eo,ep,eq,er}_NN, 32 more such pages to the same brief,
thirty-third session; GUIDELINE.md §41) is a development batch for the thirty-fourth session: scored
once with the shipped code, then read (`written37_read`: neither trained on nor blind).

Batch 40 (annotations/written/written_{es,et,eu,ev}_NN, 32 more such pages to the same brief,
thirty-fourth session; GUIDELINE.md §42) is an arbiter held out whole and kept held out
(`written38_fresh`).

Batch 41 (annotations/written/written_{ew,ex,ey,ez}_NN, 32 more such pages to the same brief,
thirty-fourth session; GUIDELINE.md §42) is a development batch for the thirty-fifth session: scored
once with the shipped code, then read (`written39_read`: neither trained on nor blind).

Batch 42 (annotations/written/written_{fa,fb,fc,fd}_NN, 32 more such pages to the same brief,
thirty-fifth session; GUIDELINE.md §43) is an arbiter held out whole and kept held out
(`written40_fresh`).

Batch 43 (annotations/written/written_{fe,ff,fg,fh}_NN, 32 more such pages to the same brief,
thirty-fifth session; GUIDELINE.md §43) is a development batch for the thirty-sixth session: scored
once with the shipped code, then read (`written41_read`: read in the thirty-sixth session).

Batch 44 (annotations/written/written_{fi,fj,fk,fl}_NN, 32 more such pages to the same brief,
thirty-sixth session; GUIDELINE.md §44) is an arbiter held out whole and kept held out
(`written42_fresh`).

Batch 45 (annotations/written/written_{fm,fn,fo,fp}_NN, 32 more such pages to the same brief,
thirty-sixth session; GUIDELINE.md §44) is a development batch for the thirty-seventh session: scored
once with the shipped code, then read (`written43_read`: read in the thirty-seventh session).

Batch 46 (annotations/written/written_{fq,fr,fs,ft}_NN, 32 more such pages to the same brief,
thirty-seventh session; GUIDELINE.md §45) is an arbiter held out whole and kept held out
(`written44_fresh`).

Batch 47 (annotations/written/written_{fu,fv,fw,fx}_NN, 32 more such pages to the same brief,
thirty-seventh session; GUIDELINE.md §45) is a development batch for the thirty-eighth session:
scored once with the shipped code, then read (`written45_read`: read in the thirty-eighth session).

Batch 48 (annotations/written/written_{fy,fz,ga,gb}_NN, 32 more such pages to the same brief,
thirty-eighth session; GUIDELINE.md §46) is an arbiter held out whole and kept held out
(`written46_fresh`).

Batch 49 (annotations/written/written_{gc,gd,ge,gf}_NN, 32 more such pages to the same brief,
thirty-eighth session; GUIDELINE.md §46) is a development batch for the thirty-ninth session:
scored once with the shipped code, then read (`written47_read`: read in the thirty-ninth session).

Batch 50 (annotations/written/written_{gg,gh,gi,gj}_NN, 32 more such pages to the same brief,
thirty-ninth session; GUIDELINE.md §47) is an arbiter held out whole and kept held out
(`written48_fresh`).

Batch 51 (annotations/written/written_{gk,gl,gm,gn}_NN, 32 more such pages to the same brief,
thirty-ninth session; GUIDELINE.md §47) is a development batch for the fortieth session:
scored once with the shipped code, then read (`written49_read`: read in the fortieth session).

Batch 52 (annotations/written/written_{go,gp,gq,gr}_NN, 32 more such pages to the same brief,
fortieth session; GUIDELINE.md §48) is an arbiter held out whole and kept held out
(`written50_fresh`).

Batch 53 (annotations/written/written_{gs,gt,gu,gv}_NN, 32 more such pages to the same brief,
fortieth session; GUIDELINE.md §48) is a development batch for the forty-first session:
scored once with the shipped code, then read (`written51_read`: read in the forty-first session).

Batch 54 (annotations/written/written_{gw,gx,gy,gz}_NN, 32 more such pages to the same brief,
forty-first session; GUIDELINE.md §49) is an arbiter held out whole and kept held out
(`written52_fresh`).

Batch 55 (annotations/written/written_{ha,hb,hc,hd}_NN, 32 more such pages to the same brief,
forty-first session; GUIDELINE.md §49) is a development batch for the forty-second session:
scored once with the shipped code, then read (`written53_read`: read in the forty-second session).

Batch 56 (annotations/written/written_{he,hf,hg,hh}_NN, 32 more such pages to the same brief,
forty-second session; GUIDELINE.md §50) is an arbiter held out whole and kept held out
(`written54_fresh`).

Batch 57 (annotations/written/written_{hi,hj,hk,hl}_NN, 32 more such pages to the same brief,
forty-second session; GUIDELINE.md §50) is a development batch for the forty-third session:
scored once with the shipped code, then read (`written55_read`: read in the forty-third session).

Batch 58 (annotations/written/written_{hm,hn,ho,hp}_NN, 32 more such pages to the same brief,
forty-third session; GUIDELINE.md §51) is an arbiter held out whole and kept held out
(`written56_fresh`).

Batch 59 (annotations/written/written_{hq,hr,hs,ht}_NN, 32 more such pages to the same brief,
forty-third session; GUIDELINE.md §51) is a development batch for the forty-fourth session:
scored once with the shipped code, then read (`written57_read`: read in the forty-fourth session).

Batch 60 (annotations/written/written_{hu,hv,hw,hx}_NN, 32 more such pages to the same brief,
forty-fourth session; GUIDELINE.md §52) is an arbiter held out whole and kept held out
(`written58_fresh`).

Batch 61 (annotations/written/written_{hy,hz,ia,ib}_NN, 32 more such pages to the same brief,
forty-fourth session; GUIDELINE.md §52) is a development batch for the forty-fifth session:
scored once with the shipped code, then read (`written59_read`: read in the forty-fourth session).

Batch 62 (annotations/written/written_{ic,id,ie,if}_NN, 32 more such pages to the same brief,
forty-fourth session; GUIDELINE.md §53) is an arbiter held out whole and kept held out
(`written60_fresh`).

Batch 63 (annotations/written/written_{ig,ih,ii,ij}_NN, 32 more such pages to the same brief,
forty-fourth session; GUIDELINE.md §53) is a development batch for the forty-fifth session:
scored once with the shipped code, then read (`written61_read`: read in the forty-fifth session).

Batch 64 (annotations/written/written_{ik,il,im,in}_NN, 32 more such pages to the same brief,
forty-fifth session; GUIDELINE.md §54) is an arbiter held out whole and kept held out
(`written62_fresh`).

Batch 65 (annotations/written/written_{io,ip,iq,ir}_NN, 32 more such pages to the same brief,
forty-fifth session; GUIDELINE.md §54) is a development batch for the forty-sixth session:
scored once with the shipped code, then read (`written63_read`: read in the forty-fifth session).

Batch 66 (annotations/written/written_{is,it,iu,iv}_NN, 32 more such pages to the same brief,
forty-fifth session; GUIDELINE.md §55) is an arbiter held out whole and kept held out
(`written64_fresh`).

Batch 67 (annotations/written/written_{iw,ix,iy,iz}_NN, 32 more such pages to the same brief,
forty-fifth session; GUIDELINE.md §55) is a development batch for the forty-sixth session:
scored once with the shipped code, then read (`written65_read`: read in the forty-sixth session).

Batch 68 (annotations/written/written_{ja,jb,jc,jd}_NN, 32 more such pages to the same brief,
forty-sixth session; GUIDELINE.md §56) is an arbiter held out whole and kept held out
(`written66_fresh`).

Batch 69 (annotations/written/written_{je,jf,jg,jh}_NN, 32 more such pages to the same brief,
forty-sixth session; GUIDELINE.md §56) is a development batch for the forty-seventh session:
scored once with the shipped code, then read (`written67_read`: neither trained on nor blind).

    python annotations/make_split.py   # rewrites annotations/split.json (same bytes every time)
"""
import json
import math
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261123
SEED_BATCH2 = 20261203
SEED_WRITTEN = 20261204
SEED_WRITTEN2 = 20261205
SEED_WRITTEN3 = 20261207
BATCH3, BATCH4, BATCH5, BATCH6, BATCH7, BATCH8 = "abcd", "efgh", "ijkl", "mnop", "qrst", "uvwx"   # the writers' letters of each batch of written pages
BATCH9 = ("y", "z", "aa", "ab")   # after z, the writers are named as spreadsheet columns are
BATCH10 = ("ac", "ad", "ae", "af")
BATCH11 = ("ag", "ah", "ai", "aj")
BATCH12 = ("ak", "al", "am", "an")
BATCH13 = ("ao", "ap", "aq", "ar")
BATCH14 = ("as", "at", "au", "av")   # in the crawl's shape (cut at 2,000 bytes)
BATCH15 = ("aw", "ax", "ay", "az")
BATCH16 = ("ba", "bb", "bc", "bd")
BATCH17 = ("be", "bf", "bg", "bh")
BATCH18 = ("bi", "bj", "bk", "bl")
BATCH19 = ("bm", "bn", "bo", "bp")
BATCH20 = ("bq", "br", "bs", "bt")   # varied page furniture (kind and title)
BATCH21 = ("bu", "bv", "bw", "bx")
BATCH22 = ("by", "bz", "ca", "cb")   # budgets, periods, durations and lists in varied prose
BATCH23 = ("cc", "cd", "ce", "cf")   # the same, through a sentence's structure rather than formulas
BATCH24 = ("cg", "ch", "ci", "cj")   # the same, off the formulas again; a quarter standing pages
BATCH25 = ("ck", "cl", "cm", "cn")   # an arbiter kept held out
BATCH26 = ("co", "cp", "cq", "cr")   # an arbiter kept held out
BATCH27 = ("cs", "ct", "cu", "cv")   # an arbiter kept held out
BATCH28 = ("cw", "cx", "cy", "cz")   # a development batch: scored once, then read
BATCH29 = ("da", "db", "dc", "dd")   # an arbiter kept held out
BATCH30 = ("de", "df", "dg", "dh")   # a development batch: scored once, then read
BATCH31 = ("di", "dj", "dk", "dl")   # an arbiter kept held out
BATCH32 = ("dm", "dn", "do", "dp")   # an arbiter kept held out
BATCH33 = ("dq", "dr", "ds", "dt")   # an arbiter kept held out
BATCH34 = ("du", "dv", "dw", "dx")   # an arbiter kept held out
BATCH35 = ("dy", "dz", "ea", "eb")   # a development batch: scored once, then read
BATCH36 = ("ec", "ed", "ee", "ef")   # a development batch: scored once, then read
BATCH37 = ("eg", "eh", "ei", "ej")   # an arbiter kept held out
BATCH38 = ("ek", "el", "em", "en")   # an arbiter kept held out
BATCH39 = ("eo", "ep", "eq", "er")   # a development batch: scored once, then read
BATCH40 = ("es", "et", "eu", "ev")   # an arbiter kept held out
BATCH41 = ("ew", "ex", "ey", "ez")   # a development batch: scored once, then read
BATCH42 = ("fa", "fb", "fc", "fd")   # an arbiter kept held out
BATCH43 = ("fe", "ff", "fg", "fh")   # a development batch: scored once, then read
BATCH44 = ("fi", "fj", "fk", "fl")   # an arbiter kept held out
BATCH45 = ("fm", "fn", "fo", "fp")   # a development batch: scored once, then read
BATCH46 = ("fq", "fr", "fs", "ft")   # an arbiter kept held out
BATCH47 = ("fu", "fv", "fw", "fx")   # a development batch: scored once, then read
BATCH48 = ("fy", "fz", "ga", "gb")   # an arbiter kept held out
BATCH49 = ("gc", "gd", "ge", "gf")   # a development batch: scored once, then read
BATCH50 = ("gg", "gh", "gi", "gj")   # an arbiter kept held out
BATCH51 = ("gk", "gl", "gm", "gn")   # a development batch: scored once, then read
BATCH52 = ("go", "gp", "gq", "gr")   # an arbiter kept held out
BATCH53 = ("gs", "gt", "gu", "gv")   # a development batch: scored once, then read
BATCH54 = ("gw", "gx", "gy", "gz")   # an arbiter kept held out
BATCH55 = ("ha", "hb", "hc", "hd")   # a development batch: scored once, then read
BATCH56 = ("he", "hf", "hg", "hh")   # an arbiter kept held out
BATCH57 = ("hi", "hj", "hk", "hl")   # a development batch: scored once, then read
BATCH58 = ("hm", "hn", "ho", "hp")   # an arbiter kept held out
BATCH59 = ("hq", "hr", "hs", "ht")   # a development batch: scored once, then read
BATCH60 = ("hu", "hv", "hw", "hx")   # an arbiter kept held out
BATCH61 = ("hy", "hz", "ia", "ib")   # a development batch: scored once, then read
BATCH62 = ("ic", "id", "ie", "if")   # an arbiter kept held out
BATCH63 = ("ig", "ih", "ii", "ij")   # a development batch: scored once, then read
BATCH64 = ("ik", "il", "im", "in")   # an arbiter kept held out
BATCH65 = ("io", "ip", "iq", "ir")   # a development batch: scored once, then read
BATCH66 = ("is", "it", "iu", "iv")   # an arbiter kept held out
BATCH67 = ("iw", "ix", "iy", "iz")   # a development batch: scored once, then read
BATCH68 = ("ja", "jb", "jc", "jd")   # an arbiter kept held out
BATCH69 = ("je", "jf", "jg", "jh")   # a development batch: scored once, then read


def writers_pages(writers) -> list[str]:
    """Every written page of these writers (annotations/written/written_<writer>_NN), sorted."""
    return sorted(p.stem for p in (HERE / "written").glob("written_*.txt") if p.stem.split("_")[1] in writers)


def layout(text: str, name: str) -> str:
    if "Faire un don" in text:
        return "devfund_sheet"
    if name.startswith("idf"):
        return "bullet_sheet" if "\n  • " in text else "dash_sheet"
    return "news"


def main() -> None:
    strata: dict[str, list[str]] = {}
    for p in sorted((HERE / "pages").glob("*.txt")):
        strata.setdefault(layout(p.read_text("utf-8"), p.name), []).append(p.stem)
    rng = random.Random(SEED)
    dev = sorted(p.stem for p in (HERE.parent / "seeds").glob("*.txt"))
    test = []
    for name in sorted(strata):
        ids = sorted(strata[name])
        rng.shuffle(ids)
        k = math.ceil(0.35 * len(ids))
        test += ids[:k]
        dev += ids[k:]
    dev2, fresh, strata2 = batch2_split()
    wdev, wfresh, strata3 = written_split()
    w2dev, w2fresh, strata4 = written_split(BATCH4, SEED_WRITTEN2, 4)
    w3dev, w3fresh, strata5 = written_split(BATCH5, SEED_WRITTEN3, 2)
    # batch 6 held out whole: every page of the writers m, n, o, p (no draw, no seed)
    w4fresh = sorted(p.stem for p in (HERE / "written").glob("written_*.txt") if p.stem.split("_")[1] in tuple(BATCH6))
    # batch 7: every page of the writers q, r, s, t (an arbiter first, then a development batch)
    w5dev = sorted(p.stem for p in (HERE / "written").glob("written_*.txt") if p.stem.split("_")[1] in tuple(BATCH7))
    # batch 8: every page of the writers u, v, w, x (an arbiter first, then a development batch)
    w6dev = sorted(p.stem for p in (HERE / "written").glob("written_*.txt") if p.stem.split("_")[1] in tuple(BATCH8))
    # batch 9: every page of the writers y, z, aa, ab (an arbiter first, then a development batch)
    w7dev = writers_pages(BATCH9)
    # batch 10: every page of the writers ac, ad, ae, af (an arbiter first, then a development batch)
    w8dev = writers_pages(BATCH10)
    # batch 11: every page of the writers ag, ah, ai, aj (an arbiter first, then a development batch)
    w9dev = writers_pages(BATCH11)
    # batch 12: every page of the writers ak, al, am, an (an arbiter first, then a development batch)
    w10dev = writers_pages(BATCH12)
    # batch 13: every page of the writers ao, ap, aq, ar (an arbiter first, then a development batch)
    w11dev = writers_pages(BATCH13)
    # batch 14: every page of the writers as, at, au, av (an arbiter first, then a development batch)
    w12dev = writers_pages(BATCH14)
    # batch 15: every page of the writers aw, ax, ay, az (an arbiter first, then a development batch)
    w13dev = writers_pages(BATCH15)
    # batch 16: every page of the writers ba, bb, bc, bd (an arbiter, then kept held out)
    w14fresh = writers_pages(BATCH16)
    # batch 17: every page of the writers be, bf, bg, bh (scored once, then a development batch)
    w15 = writers_pages(BATCH17)
    # batch 18: every page of the writers bi, bj, bk, bl (an arbiter first, then a development batch)
    w16 = writers_pages(BATCH18)
    # batch 19: every page of the writers bm, bn, bo, bp (an arbiter first, then a development batch)
    w17 = writers_pages(BATCH19)
    # batch 20: every page of the writers bq, br, bs, bt (scored once, then a development batch)
    w18 = writers_pages(BATCH20)
    # batch 21: every page of the writers bu, bv, bw, bx (an arbiter, then kept held out)
    w19fresh = writers_pages(BATCH21)
    # batch 22: every page of the writers by, bz, ca, cb (scored once with the shipped code, then opened)
    w20 = writers_pages(BATCH22)
    # batch 23: every page of the writers cc, cd, ce, cf (scored once with the shipped code, then opened)
    w21 = writers_pages(BATCH23)
    # batch 24: every page of the writers cg, ch, ci, cj (scored once, read while developing a candidate turned down)
    w22 = writers_pages(BATCH24)
    # batch 25: every page of the writers ck, cl, cm, cn (an arbiter kept held out)
    w23fresh = writers_pages(BATCH25)
    # batch 26: every page of the writers co, cp, cq, cr (an arbiter kept held out)
    w24fresh = writers_pages(BATCH26)
    # batch 27: every page of the writers cs, ct, cu, cv (an arbiter kept held out)
    w25fresh = writers_pages(BATCH27)
    # batch 28: every page of the writers cw, cx, cy, cz (scored once, then read)
    w26 = writers_pages(BATCH28)
    # batch 29: every page of the writers da, db, dc, dd (an arbiter kept held out)
    w27fresh = writers_pages(BATCH29)
    # batch 30: every page of the writers de, df, dg, dh (scored once, then read)
    w28 = writers_pages(BATCH30)
    # batch 31: every page of the writers di, dj, dk, dl (an arbiter kept held out)
    w29fresh = writers_pages(BATCH31)
    # batch 32: every page of the writers dm, dn, do, dp (an arbiter kept held out)
    w30fresh = writers_pages(BATCH32)
    # batch 33: every page of the writers dq, dr, ds, dt (an arbiter kept held out)
    w31fresh = writers_pages(BATCH33)
    # batch 34: every page of the writers du, dv, dw, dx (an arbiter kept held out)
    w32fresh = writers_pages(BATCH34)
    # batch 35: every page of the writers dy, dz, ea, eb (scored once, then read)
    w33 = writers_pages(BATCH35)
    # batch 36: every page of the writers ec, ed, ee, ef (scored once, then read)
    w34 = writers_pages(BATCH36)
    # batch 37: every page of the writers eg, eh, ei, ej (an arbiter kept held out)
    w35fresh = writers_pages(BATCH37)
    # batch 38: every page of the writers ek, el, em, en (an arbiter kept held out)
    w36fresh = writers_pages(BATCH38)
    # batch 39: every page of the writers eo, ep, eq, er (scored once, then read)
    w37 = writers_pages(BATCH39)
    # batch 40: every page of the writers es, et, eu, ev (an arbiter kept held out)
    w38fresh = writers_pages(BATCH40)
    # batch 41: every page of the writers ew, ex, ey, ez (scored once, then read)
    w39 = writers_pages(BATCH41)
    # batch 42: every page of the writers fa, fb, fc, fd (an arbiter kept held out)
    w40fresh = writers_pages(BATCH42)
    # batch 43: every page of the writers fe, ff, fg, fh (scored once, then read)
    w41 = writers_pages(BATCH43)
    # batch 44: every page of the writers fi, fj, fk, fl (an arbiter kept held out)
    w42fresh = writers_pages(BATCH44)
    # batch 45: every page of the writers fm, fn, fo, fp (scored once, then read)
    w43 = writers_pages(BATCH45)
    # batch 46: every page of the writers fq, fr, fs, ft (an arbiter kept held out)
    w44fresh = writers_pages(BATCH46)
    # batch 47: every page of the writers fu, fv, fw, fx (scored once, then read)
    w45 = writers_pages(BATCH47)
    # batch 48: every page of the writers fy, fz, ga, gb (an arbiter kept held out)
    w46fresh = writers_pages(BATCH48)
    # batch 49: every page of the writers gc, gd, ge, gf (scored once, then read)
    w47 = writers_pages(BATCH49)
    # batch 50: every page of the writers gg, gh, gi, gj (an arbiter kept held out)
    w48fresh = writers_pages(BATCH50)
    # batch 51: every page of the writers gk, gl, gm, gn (scored once, then read)
    w49 = writers_pages(BATCH51)
    # batch 52: every page of the writers go, gp, gq, gr (an arbiter kept held out)
    w50fresh = writers_pages(BATCH52)
    # batch 53: every page of the writers gs, gt, gu, gv (scored once, then read)
    w51 = writers_pages(BATCH53)
    # batch 54: every page of the writers gw, gx, gy, gz (an arbiter kept held out)
    w52fresh = writers_pages(BATCH54)
    # batch 55: every page of the writers ha, hb, hc, hd (scored once, then read)
    w53 = writers_pages(BATCH55)
    # batch 56: every page of the writers he, hf, hg, hh (an arbiter kept held out)
    w54fresh = writers_pages(BATCH56)
    # batch 57: every page of the writers hi, hj, hk, hl (scored once, then read)
    w55 = writers_pages(BATCH57)
    # batch 58: every page of the writers hm, hn, ho, hp (an arbiter kept held out)
    w56fresh = writers_pages(BATCH58)
    # batch 59: every page of the writers hq, hr, hs, ht (scored once, then read)
    w57 = writers_pages(BATCH59)
    # batch 60: every page of the writers hu, hv, hw, hx (an arbiter kept held out)
    w58fresh = writers_pages(BATCH60)
    # batch 61: every page of the writers hy, hz, ia, ib (scored once, then read)
    w59 = writers_pages(BATCH61)
    # batch 62: every page of the writers ic, id, ie, if (an arbiter kept held out)
    w60fresh = writers_pages(BATCH62)
    # batch 63: every page of the writers ig, ih, ii, ij (scored once, then read)
    w61 = writers_pages(BATCH63)
    # batch 64: every page of the writers ik, il, im, in (an arbiter kept held out)
    w62fresh = writers_pages(BATCH64)
    # batch 65: every page of the writers io, ip, iq, ir (scored once, then read)
    w63 = writers_pages(BATCH65)
    # batch 66: every page of the writers is, it, iu, iv (an arbiter kept held out)
    w64fresh = writers_pages(BATCH66)
    # batch 67: every page of the writers iw, ix, iy, iz (scored once, then read)
    w65 = writers_pages(BATCH67)
    # batch 68: every page of the writers ja, jb, jc, jd (an arbiter kept held out)
    w66fresh = writers_pages(BATCH68)
    # batch 69: every page of the writers je, jf, jg, jh (scored once, then read)
    w67 = writers_pages(BATCH69)
    out = {"seed": SEED, "strata": {k: len(v) for k, v in sorted(strata.items())},
           "dev": sorted(dev), "test": sorted(test),
           "seed_batch2": SEED_BATCH2, "strata_batch2": strata2, "dev2": dev2, "fresh": fresh,
           "seed_written": SEED_WRITTEN, "strata_written": strata3,
           "written_dev": wdev, "written_fresh": wfresh,
           "seed_written2": SEED_WRITTEN2, "strata_written2": strata4,
           "written2_dev": w2dev, "written2_fresh": w2fresh,
           "seed_written3": SEED_WRITTEN3, "strata_written3": strata5,
           "written3_dev": w3dev, "written3_fresh": w3fresh,
           "written4_fresh": w4fresh, "written5_dev": w5dev, "written6_dev": w6dev,
           "written7_dev": w7dev, "written8_dev": w8dev, "written9_dev": w9dev, "written10_dev": w10dev, "written11_dev": w11dev,
           "written12_dev": w12dev,
           "written13_dev": w13dev,
           "written14_fresh": w14fresh,
           "written15_dev": w15,
           "written16_dev": w16,
           "written17_dev": w17, "written18_dev": w18,
           "written19_fresh": w19fresh, "written20_dev": w20, "written21_dev": w21, "written22_read": w22, "written23_fresh": w23fresh,
           "written24_fresh": w24fresh, "written25_fresh": w25fresh, "written26_read": w26,
           "written27_fresh": w27fresh, "written28_read": w28, "written29_fresh": w29fresh,
           "written30_fresh": w30fresh, "written31_fresh": w31fresh,
           "written32_fresh": w32fresh, "written33_read": w33,
           "written34_read": w34, "written35_fresh": w35fresh, "written36_fresh": w36fresh,
           "written37_read": w37, "written38_fresh": w38fresh, "written39_read": w39,
           "written40_fresh": w40fresh, "written41_read": w41,
           "written42_fresh": w42fresh, "written43_read": w43,
           "written44_fresh": w44fresh, "written45_read": w45,
           "written46_fresh": w46fresh, "written47_read": w47,
           "written48_fresh": w48fresh, "written49_read": w49,
           "written50_fresh": w50fresh, "written51_read": w51,
           "written52_fresh": w52fresh, "written53_read": w53,
           "written54_fresh": w54fresh, "written55_read": w55,
           "written56_fresh": w56fresh, "written57_read": w57,
           "written58_fresh": w58fresh, "written59_read": w59,
           "written60_fresh": w60fresh, "written61_read": w61,
           "written62_fresh": w62fresh, "written63_read": w63,
           "written64_fresh": w64fresh, "written65_read": w65,
           "written66_fresh": w66fresh, "written67_read": w67}
    (HERE / "split.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"dev {len(dev)}  test {len(test)}  dev2 {len(dev2)}  fresh {len(fresh)}  "
          f"written_dev {len(wdev)}  written_fresh {len(wfresh)}  written2_dev {len(w2dev)}  "
          f"written2_fresh {len(w2fresh)}  written3_dev {len(w3dev)}  written3_fresh {len(w3fresh)}  "
          f"written4_fresh {len(w4fresh)}  written5_dev {len(w5dev)}  written6_dev {len(w6dev)}  written7_dev {len(w7dev)}  "
          f"written8_dev {len(w8dev)}  written9_dev {len(w9dev)}  written10_dev {len(w10dev)}  written11_dev {len(w11dev)}  "
          f"written12_dev {len(w12dev)}  written13_dev {len(w13dev)}  written14_fresh {len(w14fresh)}  written15_dev {len(w15)}  written16_dev {len(w16)}  written17_dev {len(w17)}  written18_dev {len(w18)}  written19_fresh {len(w19fresh)}  written20_dev {len(w20)}  written21_dev {len(w21)}  written22_read {len(w22)}  written23_fresh {len(w23fresh)}  written24_fresh {len(w24fresh)}  written25_fresh {len(w25fresh)}  written26_read {len(w26)}  written27_fresh {len(w27fresh)}  written28_read {len(w28)}  written29_fresh {len(w29fresh)}  written30_fresh {len(w30fresh)}  written31_fresh {len(w31fresh)}  written32_fresh {len(w32fresh)}  written33_read {len(w33)}  written34_read {len(w34)}  written35_fresh {len(w35fresh)}  written36_fresh {len(w36fresh)}  written37_read {len(w37)}  written38_fresh {len(w38fresh)}  written39_read {len(w39)}  written40_fresh {len(w40fresh)}  written41_read {len(w41)}  written42_fresh {len(w42fresh)}  written43_read {len(w43)}  written44_fresh {len(w44fresh)}  written45_read {len(w45)}  written46_fresh {len(w46fresh)}  written47_read {len(w47)}  written48_fresh {len(w48fresh)}  written49_read {len(w49)}  written50_fresh {len(w50fresh)}  written51_read {len(w51)}  written52_fresh {len(w52fresh)}  written53_read {len(w53)}  written54_fresh {len(w54fresh)}  written55_read {len(w55)}  written56_fresh {len(w56fresh)}  written57_read {len(w57)}  written58_fresh {len(w58fresh)}  written59_read {len(w59)}  written60_fresh {len(w60fresh)}  written61_read {len(w61)}  written62_fresh {len(w62fresh)}  written63_read {len(w63)}  written64_fresh {len(w64fresh)}  written65_read {len(w65)}  written66_fresh {len(w66fresh)}  written67_read {len(w67)}")


def held_out_draw(strata: dict[str, list[str]], seed: int, share: int) -> tuple[list[str], list[str], dict[str, int]]:
    """(kept, held out, stratum sizes): ceil(1/share) of each stratum held out, drawn with ``seed``
    (strata in name order, each sorted then shuffled: the same draw every time)."""
    rng = random.Random(seed)
    kept, held = [], []
    for name in sorted(strata):
        ids = sorted(strata[name])
        rng.shuffle(ids)
        k = math.ceil(len(ids) / share)
        held += ids[:k]
        kept += ids[k:]
    return sorted(kept), sorted(held), {k: len(v) for k, v in sorted(strata.items())}


def batch2_split() -> tuple[list[str], list[str], dict[str, int]]:
    """dev2 / fresh over annotations/batch2: ceil(1/3) of each kind of the crawl's index is fresh."""
    strata: dict[str, list[str]] = {}
    for line in (HERE / "batch2_index.tsv").read_text("utf-8").splitlines():
        name, _url, kind, *_ = line.split("\t")
        strata.setdefault(kind, []).append(Path(name).stem)
    return held_out_draw(strata, SEED_BATCH2, 3)


def written_split(letters: str = BATCH3, seed: int = SEED_WRITTEN, share: int = 2
                  ) -> tuple[list[str], list[str], dict[str, int]]:
    """(dev, fresh) over the written pages of the writers ``letters`` (the letter in
    written_<slice>_<NN>): 1/share of each writer's slice is fresh; a writer's own habits of
    phrasing are then on both sides, and every slice's are in fresh."""
    strata: dict[str, list[str]] = {}
    for p in sorted((HERE / "written").glob("written_*.txt")):
        letter = p.stem.split("_")[1]
        if letter in tuple(letters):   # a writer is one letter of the string ("ab" is not in "abcd")
            strata.setdefault(letter, []).append(p.stem)
    return held_out_draw(strata, seed, share)


if __name__ == "__main__":
    main()

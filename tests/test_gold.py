"""The gold set: validator, split, DocBin conversion."""
import json
import math
from pathlib import Path

from spacy.tokens import DocBin

from extract.evaluation.docbin import gold_to_docbin
from extract.evaluation.gold import GOLD_PATH, check_gold, load_gold, load_split

ROOT = Path(__file__).resolve().parent.parent


def test_gold_file_is_sound():
    assert check_gold(GOLD_PATH) == []


def test_validator_catches_broken_lines(tmp_path):
    line = load_gold(GOLD_PATH)[0]
    text = line["text"]
    bad = json.loads(json.dumps(line))
    bad["spans"].append({"start": 5, "end": 3, "label": "DATE"})             # offsets reversed
    bad["spans"].append({"start": 0, "end": 2, "label": "PLACE"})            # unknown label
    bad["record"]["start_date"] = "30/03/2017"                               # not ISO
    bad["record"]["countries_mentioned"] = []                                # spans' codes missing
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(bad, ensure_ascii=False) + "\n" + json.dumps(line, ensure_ascii=False) + "\n")
    problems = "\n".join(check_gold(path))
    assert "offsets outside the text" in problems
    assert "unknown label" in problems
    assert "not ISO 8601" in problems
    assert "not in countries_mentioned" in problems
    assert "duplicate id" in problems
    assert "page has no gold line" in problems
    assert text  # untouched


def test_split_is_fixed_disjoint_and_at_least_a_third_test():
    split = load_split()
    ids = {g["id"] for g in load_gold(GOLD_PATH)}
    dev, test = set(split["dev"]), set(split["test"])
    dev2, fresh = set(split["dev2"]), set(split["fresh"])
    wdev, wfresh = set(split["written_dev"]), set(split["written_fresh"])
    w2dev, w2fresh = set(split["written2_dev"]), set(split["written2_fresh"])
    w3dev, w3fresh = set(split["written3_dev"]), set(split["written3_fresh"])
    w4fresh, w5dev, w6dev = set(split["written4_fresh"]), set(split["written5_dev"]), set(split["written6_dev"])
    w7dev, w8dev, w9dev = set(split["written7_dev"]), set(split["written8_dev"]), set(split["written9_dev"])
    w10dev, w11dev = set(split["written10_dev"]), set(split["written11_dev"])
    w12dev, w13dev = set(split["written12_dev"]), set(split["written13_dev"])
    w14fresh, w15 = set(split["written14_fresh"]), set(split["written15_dev"])
    w16 = set(split["written16_dev"])
    w17, w18 = set(split["written17_dev"]), set(split["written18_dev"])
    w19fresh, w20 = set(split["written19_fresh"]), set(split["written20_dev"])
    w21 = set(split["written21_dev"])
    w22 = set(split["written22_read"])
    w23fresh = set(split["written23_fresh"])
    w24fresh = set(split["written24_fresh"])
    w25fresh, w26 = set(split["written25_fresh"]), set(split["written26_read"])
    w27fresh = set(split["written27_fresh"])
    w28, w29fresh = set(split["written28_read"]), set(split["written29_fresh"])
    w30fresh = set(split["written30_fresh"])
    w31fresh = set(split["written31_fresh"])
    w32fresh, w33 = set(split["written32_fresh"]), set(split["written33_read"])
    w34, w35fresh = set(split["written34_read"]), set(split["written35_fresh"])
    w36fresh, w37 = set(split["written36_fresh"]), set(split["written37_read"])
    w38fresh, w39 = set(split["written38_fresh"]), set(split["written39_read"])
    w40fresh, w41 = set(split["written40_fresh"]), set(split["written41_read"])
    w42fresh, w43 = set(split["written42_fresh"]), set(split["written43_read"])
    w44fresh, w45 = set(split["written44_fresh"]), set(split["written45_read"])
    w46fresh, w47 = set(split["written46_fresh"]), set(split["written47_read"])
    w48fresh, w49 = set(split["written48_fresh"]), set(split["written49_read"])
    w50fresh, w51 = set(split["written50_fresh"]), set(split["written51_read"])
    w52fresh, w53 = set(split["written52_fresh"]), set(split["written53_read"])
    w54fresh, w55 = set(split["written54_fresh"]), set(split["written55_read"])
    w56fresh, w57 = set(split["written56_fresh"]), set(split["written57_read"])
    w58fresh, w59 = set(split["written58_fresh"]), set(split["written59_read"])
    w60fresh, w61 = set(split["written60_fresh"]), set(split["written61_read"])
    w62fresh, w63 = set(split["written62_fresh"]), set(split["written63_read"])
    w64fresh, w65 = set(split["written64_fresh"]), set(split["written65_read"])
    w66fresh, w67 = set(split["written66_fresh"]), set(split["written67_read"])
    parts = [dev, test, dev2, fresh, wdev, wfresh, w2dev, w2fresh, w3dev, w3fresh, w4fresh, w5dev, w6dev, w7dev,
             w8dev, w9dev, w10dev, w11dev, w12dev, w13dev, w14fresh, w15, w16, w17, w18, w19fresh, w20, w21, w22, w23fresh,
             w24fresh, w25fresh, w26, w27fresh, w28, w29fresh, w30fresh, w31fresh, w32fresh, w33, w34, w35fresh, w36fresh, w37, w38fresh, w39, w40fresh, w41, w42fresh, w43, w44fresh, w45, w46fresh, w47, w48fresh, w49, w50fresh, w51, w52fresh, w53, w54fresh, w55, w56fresh, w57, w58fresh, w59, w60fresh, w61, w62fresh, w63, w64fresh, w65, w66fresh, w67]
    assert sum(len(p) for p in parts) == len(set().union(*parts))  # pairwise disjoint
    assert set().union(*parts) == ids
    assert len(test) >= math.ceil(len(dev | test) / 3) and len(fresh) >= math.ceil(len(dev2 | fresh) / 3)
    assert len(wfresh) >= len(wdev) and all(i.startswith("written_") for i in wdev | wfresh)
    # batch 4: a quarter of each writer's slice never tuned on
    assert len(w2fresh) >= len(w2dev | w2fresh) / 4 and all(i.startswith("written_") for i in w2dev | w2fresh)
    assert {i.split("_")[1] for i in w2fresh} == {i.split("_")[1] for i in w2dev | w2fresh}
    # batch 5: half of each writer's slice never read for errors
    assert len(w3fresh) >= len(w3dev) and all(i.startswith("written_") for i in w3dev | w3fresh)
    assert {i.split("_")[1] for i in w3fresh} == {i.split("_")[1] for i in w3dev | w3fresh}
    # batch 6: held out whole, one slice per writer m, n, o, p
    assert {i.split("_")[1] for i in w4fresh} == set("mnop")
    # batch 7, whole: q, r, s, t
    assert {i.split("_")[1] for i in w5dev} == set("qrst") and len(w5dev) == 32
    # batch 8, whole: u, v, w, x
    assert {i.split("_")[1] for i in w6dev} == set("uvwx") and len(w6dev) == 32
    # batch 9, whole: y, z, aa, ab (a writer's name is the part between the underscores)
    assert {i.split("_")[1] for i in w7dev} == {"y", "z", "aa", "ab"} and len(w7dev) == 32
    # batch 10, whole: ac, ad, ae, af
    assert {i.split("_")[1] for i in w8dev} == {"ac", "ad", "ae", "af"} and len(w8dev) == 32
    # batch 11, whole: ag, ah, ai, aj
    assert {i.split("_")[1] for i in w9dev} == {"ag", "ah", "ai", "aj"} and len(w9dev) == 32
    # batch 12, whole: ak, al, am, an
    assert {i.split("_")[1] for i in w10dev} == {"ak", "al", "am", "an"} and len(w10dev) == 32
    # batch 13, whole: ao, ap, aq, ar
    assert {i.split("_")[1] for i in w11dev} == {"ao", "ap", "aq", "ar"} and len(w11dev) == 32
    # batch 14, whole, in the crawl's shape: as, at, au, av
    assert {i.split("_")[1] for i in w12dev} == {"as", "at", "au", "av"} and len(w12dev) == 32
    # batch 15, whole, in the crawl's shape: aw, ax, ay, az
    assert {i.split("_")[1] for i in w13dev} == {"aw", "ax", "ay", "az"} and len(w13dev) == 32
    # batch 16, whole, in the crawl's shape, kept held out: ba, bb, bc, bd
    assert {i.split("_")[1] for i in w14fresh} == {"ba", "bb", "bc", "bd"} and len(w14fresh) == 32
    # batch 17, whole, in the crawl's shape: be, bf, bg, bh
    assert {i.split("_")[1] for i in w15} == {"be", "bf", "bg", "bh"} and len(w15) == 32
    # batch 18, whole, in the crawl's shape: bi, bj, bk, bl
    assert {i.split("_")[1] for i in w16} == {"bi", "bj", "bk", "bl"} and len(w16) == 32
    # batches 19 and 20, whole, in the crawl's shape: bm, bn, bo, bp; bq, br, bs, bt
    assert {i.split("_")[1] for i in w17} == {"bm", "bn", "bo", "bp"} and len(w17) == 32
    assert {i.split("_")[1] for i in w18} == {"bq", "br", "bs", "bt"} and len(w18) == 32
    # batch 21, whole, kept held out: bu, bv, bw, bx
    assert {i.split("_")[1] for i in w19fresh} == {"bu", "bv", "bw", "bx"} and len(w19fresh) == 32
    # batch 22, whole: by, bz, ca, cb
    assert {i.split("_")[1] for i in w20} == {"by", "bz", "ca", "cb"} and len(w20) == 32
    # batch 23, whole: cc, cd, ce, cf
    assert {i.split("_")[1] for i in w21} == {"cc", "cd", "ce", "cf"} and len(w21) == 32
    # batch 24, whole: cg, ch, ci, cj
    assert {i.split("_")[1] for i in w22} == {"cg", "ch", "ci", "cj"} and len(w22) == 32
    # batch 25, whole: ck, cl, cm, cn
    assert {i.split("_")[1] for i in w23fresh} == {"ck", "cl", "cm", "cn"} and len(w23fresh) == 32
    # batch 26, whole: co, cp, cq, cr
    assert {i.split("_")[1] for i in w24fresh} == {"co", "cp", "cq", "cr"} and len(w24fresh) == 32
    # batch 27, whole, kept held out: cs, ct, cu, cv; batch 28, whole, read: cw, cx, cy, cz
    assert {i.split("_")[1] for i in w25fresh} == {"cs", "ct", "cu", "cv"} and len(w25fresh) == 32
    assert {i.split("_")[1] for i in w26} == {"cw", "cx", "cy", "cz"} and len(w26) == 32
    # batch 29, whole, kept held out: da, db, dc, dd
    assert {i.split("_")[1] for i in w27fresh} == {"da", "db", "dc", "dd"} and len(w27fresh) == 32
    # batch 30, whole, read: de, df, dg, dh; batch 31, whole, kept held out: di, dj, dk, dl
    assert {i.split("_")[1] for i in w28} == {"de", "df", "dg", "dh"} and len(w28) == 32
    assert {i.split("_")[1] for i in w29fresh} == {"di", "dj", "dk", "dl"} and len(w29fresh) == 32
    # batch 32, whole, kept held out: dm, dn, do, dp
    assert {i.split("_")[1] for i in w30fresh} == {"dm", "dn", "do", "dp"} and len(w30fresh) == 32
    # batch 33, whole, kept held out: dq, dr, ds, dt
    assert {i.split("_")[1] for i in w31fresh} == {"dq", "dr", "ds", "dt"} and len(w31fresh) == 32
    # batch 34, whole, kept held out: du, dv, dw, dx; batch 35, whole, read: dy, dz, ea, eb
    assert {i.split("_")[1] for i in w32fresh} == {"du", "dv", "dw", "dx"} and len(w32fresh) == 32
    assert {i.split("_")[1] for i in w33} == {"dy", "dz", "ea", "eb"} and len(w33) == 32
    # batch 36, whole, read: ec, ed, ee, ef; batch 37, whole, kept held out: eg, eh, ei, ej
    assert {i.split("_")[1] for i in w34} == {"ec", "ed", "ee", "ef"} and len(w34) == 32
    assert {i.split("_")[1] for i in w35fresh} == {"eg", "eh", "ei", "ej"} and len(w35fresh) == 32
    # batch 38, whole, kept held out: ek, el, em, en; batch 39, whole, read: eo, ep, eq, er
    assert {i.split("_")[1] for i in w36fresh} == {"ek", "el", "em", "en"} and len(w36fresh) == 32
    assert {i.split("_")[1] for i in w37} == {"eo", "ep", "eq", "er"} and len(w37) == 32
    # batch 40, whole, kept held out: es, et, eu, ev; batch 41, whole, read: ew, ex, ey, ez
    assert {i.split("_")[1] for i in w38fresh} == {"es", "et", "eu", "ev"} and len(w38fresh) == 32
    assert {i.split("_")[1] for i in w39} == {"ew", "ex", "ey", "ez"} and len(w39) == 32
    # batch 42, whole, kept held out: fa, fb, fc, fd; batch 43, whole, read: fe, ff, fg, fh
    assert {i.split("_")[1] for i in w40fresh} == {"fa", "fb", "fc", "fd"} and len(w40fresh) == 32
    assert {i.split("_")[1] for i in w41} == {"fe", "ff", "fg", "fh"} and len(w41) == 32
    # batch 44, whole, kept held out: fi, fj, fk, fl; batch 45, whole, to be read: fm, fn, fo, fp
    assert {i.split("_")[1] for i in w42fresh} == {"fi", "fj", "fk", "fl"} and len(w42fresh) == 32
    assert {i.split("_")[1] for i in w43} == {"fm", "fn", "fo", "fp"} and len(w43) == 32
    # batch 46, whole, kept held out: fq, fr, fs, ft; batch 47, whole, to be read: fu, fv, fw, fx
    assert {i.split("_")[1] for i in w44fresh} == {"fq", "fr", "fs", "ft"} and len(w44fresh) == 32
    assert {i.split("_")[1] for i in w45} == {"fu", "fv", "fw", "fx"} and len(w45) == 32
    # batch 48, whole, kept held out: fy, fz, ga, gb; batch 49, whole, to be read: gc, gd, ge, gf
    assert {i.split("_")[1] for i in w46fresh} == {"fy", "fz", "ga", "gb"} and len(w46fresh) == 32
    assert {i.split("_")[1] for i in w47} == {"gc", "gd", "ge", "gf"} and len(w47) == 32
    # batch 50, whole, kept held out: gg, gh, gi, gj; batch 51, whole, to be read: gk, gl, gm, gn
    assert {i.split("_")[1] for i in w48fresh} == {"gg", "gh", "gi", "gj"} and len(w48fresh) == 32
    assert {i.split("_")[1] for i in w49} == {"gk", "gl", "gm", "gn"} and len(w49) == 32
    # batch 52, whole, kept held out: go, gp, gq, gr; batch 53, whole, to be read: gs, gt, gu, gv
    assert {i.split("_")[1] for i in w50fresh} == {"go", "gp", "gq", "gr"} and len(w50fresh) == 32
    assert {i.split("_")[1] for i in w51} == {"gs", "gt", "gu", "gv"} and len(w51) == 32
    # batch 54, whole, kept held out: gw, gx, gy, gz; batch 55, whole, to be read: ha, hb, hc, hd
    assert {i.split("_")[1] for i in w52fresh} == {"gw", "gx", "gy", "gz"} and len(w52fresh) == 32
    assert {i.split("_")[1] for i in w53} == {"ha", "hb", "hc", "hd"} and len(w53) == 32
    # batch 56, whole, kept held out: he, hf, hg, hh; batch 57, whole, to be read: hi, hj, hk, hl
    assert {i.split("_")[1] for i in w54fresh} == {"he", "hf", "hg", "hh"} and len(w54fresh) == 32
    assert {i.split("_")[1] for i in w55} == {"hi", "hj", "hk", "hl"} and len(w55) == 32
    # batch 58, whole, kept held out: hm, hn, ho, hp; batch 59, whole, to be read: hq, hr, hs, ht
    assert {i.split("_")[1] for i in w56fresh} == {"hm", "hn", "ho", "hp"} and len(w56fresh) == 32
    assert {i.split("_")[1] for i in w57} == {"hq", "hr", "hs", "ht"} and len(w57) == 32
    # batch 60, whole, kept held out: hu, hv, hw, hx; batch 61, whole, to be read: hy, hz, ia, ib
    assert {i.split("_")[1] for i in w58fresh} == {"hu", "hv", "hw", "hx"} and len(w58fresh) == 32
    assert {i.split("_")[1] for i in w59} == {"hy", "hz", "ia", "ib"} and len(w59) == 32
    # batch 62, whole, kept held out: ic, id, ie, if; batch 63, whole, to be read: ig, ih, ii, ij
    assert {i.split("_")[1] for i in w60fresh} == {"ic", "id", "ie", "if"} and len(w60fresh) == 32
    assert {i.split("_")[1] for i in w61} == {"ig", "ih", "ii", "ij"} and len(w61) == 32
    # batch 64, whole, kept held out: ik, il, im, in; batch 65, whole, to be read: io, ip, iq, ir
    assert {i.split("_")[1] for i in w62fresh} == {"ik", "il", "im", "in"} and len(w62fresh) == 32
    assert {i.split("_")[1] for i in w63} == {"io", "ip", "iq", "ir"} and len(w63) == 32
    # batch 66, whole, kept held out: is, it, iu, iv; batch 67, whole, to be read: iw, ix, iy, iz
    assert {i.split("_")[1] for i in w64fresh} == {"is", "it", "iu", "iv"} and len(w64fresh) == 32
    assert {i.split("_")[1] for i in w65} == {"iw", "ix", "iy", "iz"} and len(w65) == 32
    # batch 68, whole, kept held out: ja, jb, jc, jd; batch 69, whole, to be read: je, jf, jg, jh
    assert {i.split("_")[1] for i in w66fresh} == {"ja", "jb", "jc", "jd"} and len(w66fresh) == 32
    assert {i.split("_")[1] for i in w67} == {"je", "jf", "jg", "jh"} and len(w67) == 32
    kinds = lambda s: {g["record"]["kind"] for g in load_gold(GOLD_PATH) if g["id"] in s}  # noqa: E731
    assert {"idf_project", "news"} <= kinds(test)
    assert {"idf_project", "news", "other"} <= kinds(fresh)
    # the split script draws the same split every time
    import runpy, sys, io, contextlib
    before = (ROOT / "annotations" / "split.json").read_bytes()
    with contextlib.redirect_stdout(io.StringIO()):
        runpy.run_path(str(ROOT / "annotations" / "make_split.py"), run_name="__main__")
    assert (ROOT / "annotations" / "split.json").read_bytes() == before


def test_gold_to_docbin(tmp_path):
    import spacy

    paths = gold_to_docbin(GOLD_PATH, tmp_path)
    assert [p.name for p in paths] == ["dev.spacy", "test.spacy"]
    docs = list(DocBin().from_disk(paths[1]).get_docs(spacy.blank("fr").vocab))
    assert len(docs) == len(load_split()["test"])
    n_gold = sum(len(g["spans"]) for g in load_gold(GOLD_PATH) if g["id"] in set(load_split()["test"]))
    assert sum(len(d.spans["sc"]) for d in docs) == n_gold


def test_a_number_word_ending_a_sentence_is_no_abbreviation():
    """"sept jours sur sept." ends a sentence with the number seven, not September's abbreviation:
    the gold validator's tokenizer and the pipeline's both end a token before the full stop
    (extract/tokenizer.py WORD_ABBREVIATIONS; GUIDELINE.md §16)."""
    from spacy.vocab import Vocab

    from extract.evaluation.gold import _tokenizer
    from extract.pipeline import model_path
    from extract.tokenizer import fr_tokenizer

    text = "Elle fonctionne sept jours sur sept.\nLa suite, le 3 sept. 2023."
    for tok in (_tokenizer(), fr_tokenizer(Vocab(), model_path() / "tokenizer")):
        words = [t.text for t in tok(text)]
        assert words[:6] == ["Elle", "fonctionne", "sept", "jours", "sur", "sept"] and words[6] == "."


def test_never_trained_is_every_gold_page_no_trained_artefact_learns_from():
    """The pooled blind figure's pages: with the training splits and the pages read while a
    candidate that did not ship was developed on them (READ_NOT_TRAINED), the whole gold set, and
    no page in two of them."""
    from extract.evaluation.gold import READ_NOT_TRAINED, select

    gold = load_gold(GOLD_PATH)
    blind = {g["id"] for g in select(gold, "never_trained")}
    training = {g["id"] for g in select(gold, "training")}
    read = {g["id"] for name in READ_NOT_TRAINED for g in select(gold, name)}
    assert blind and read and not blind & training and not read & (blind | training)
    assert blind | training | read == {g["id"] for g in gold}
    assert {g["id"] for g in select(gold, "fresh")} <= blind and {g["id"] for g in select(gold, "test")} <= blind


def test_the_duration_model_learns_from_the_818_earlier_training_pages_only():
    """NOT_LEARNT_FROM (thirty-fourth session, candidate 21): the read batches that joined the
    training pages teach every model but the duration model; the committed models say so."""
    from extract.evaluation.gold import NOT_LEARNT_FROM, TRAINING_SPLITS, not_learnt_from, select
    from extract.paths import models_dir

    gold = load_gold(GOLD_PATH)
    training = {g["id"] for g in select(gold, "training")}
    skip = not_learnt_from()["duration"]
    assert set(NOT_LEARNT_FROM["duration"]) <= set(TRAINING_SPLITS)
    assert skip and skip <= training
    assert skip == {g["id"] for name in NOT_LEARNT_FROM["duration"] for g in select(gold, name)}
    models = json.loads((models_dir() / "prose_models.json").read_text("utf-8"))
    assert models["pages"] == len(training)
    assert models["duration"]["pages"] == len(training - skip)
    assert all(models[d]["pages"] == len(training) for d in ("budget", "start", "end"))

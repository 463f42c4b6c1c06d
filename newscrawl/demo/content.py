"""Synthetic posts: deterministic Indonesian or English news, for blogs of any size.

A blog's ``generate`` spec asks for them; they come out in the shape of the config's own
hand-written posts, so they go through the same loading as those. The same seed always gives
the same posts: tests and benchmarks count on exact titles, times and ids.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from newscrawl.demo.formatting import MONTHS, WEEKDAYS, esc, iso_ms, parse_time
from newscrawl.demo.model import UNKNOWN_AUTHOR, derived_id

WORDS = {
    "id": {
        "subjects": ["Pemerintah kota", "Dinas Perhubungan", "Warga setempat", "Kepolisian resor",
                     "Para pedagang pasar", "Komisi C DPRD", "Badan Penanggulangan Bencana Daerah",
                     "Sejumlah mahasiswa", "Dinas Kesehatan", "Pengurus koperasi", "Pihak sekolah",
                     "Perusahaan air minum daerah"],
        "verbs": [("membahas", "Bahas"), ("meninjau", "Tinjau"), ("menyiapkan", "Siapkan"),
                  ("memantau", "Pantau"), ("mengevaluasi", "Evaluasi"), ("mempercepat", "Percepat"),
                  ("menunda", "Tunda"), ("mendukung", "Dukung")],
        "objects": ["perbaikan jalan provinsi", "harga bahan pokok", "jadwal imunisasi anak",
                    "pembangunan pasar tradisional", "penataan pedagang kaki lima", "distribusi air bersih",
                    "program beasiswa daerah", "pengerukan sungai", "rute angkutan kota",
                    "penyaluran bantuan sosial", "perluasan taman kota", "pendataan penduduk"],
        "places": ["Bandung", "Semarang", "Makassar", "Medan", "Palembang", "Yogyakarta", "Malang",
                   "Pontianak", "Padang", "Kupang", "Balikpapan", "Cirebon"],
        "names": ["Budi Santoso", "Siti Rahmawati", "Agus Salim", "Dewi Lestari", "Hendra Wijaya",
                  "Rina Marlina", "Joko Susilo", "Yusuf Hamdani"],
        "roles": ["kepala dinas", "juru bicara", "ketua RT", "camat", "wakil ketua", "kepala bidang"],
        "lead": "{place_upper} - {subject} {verb} {object} di {place}, {weekday} ({day}/{month}/{year}).",
        "sentences": [
            "Menurut {role} {name}, langkah itu diambil setelah ada keluhan dari masyarakat.",
            "\u201cKami ingin prosesnya selesai sebelum akhir bulan,\u201d kata {name}.",
            "Rencana tersebut akan dibahas kembali dalam rapat pekan depan.",
            "Sebelumnya, warga sempat mengeluhkan {object} yang dinilai belum merata.",
            "Anggaran untuk kegiatan ini berasal dari APBD tahun berjalan.",
            "Pihaknya juga meminta masyarakat ikut mengawasi pelaksanaan di lapangan.",
            "Hingga berita ini diturunkan, belum ada tanggapan resmi dari pihak terkait.",
            "Kegiatan serupa pernah dilakukan tahun lalu dan dinilai cukup berhasil.",
            "{name} menambahkan, laporan perkembangan akan disampaikan secara berkala.",
            "Sejumlah warga yang ditemui mengaku menyambut baik rencana tersebut.",
        ],
        "labels": ["Nasional", "Daerah", "Ekonomi", "Olahraga", "Teknologi", "Hiburan"],
        "authors": ["Admin", "Redaksi", UNKNOWN_AUTHOR],
    },
    "en": {
        "subjects": ["The city council", "The transport agency", "Local residents", "The county police",
                     "Market traders", "The school board", "Volunteers", "The health department",
                     "The water utility", "A group of students"],
        "verbs": [("reviews", "Reviews"), ("approves", "Approves"), ("delays", "Delays"),
                  ("backs", "Backs"), ("prepares", "Prepares"), ("questions", "Questions")],
        "objects": ["the road repair plan", "new bus routes", "the market renovation", "school lunch prices",
                    "the river clean-up", "a new cycling lane", "library opening hours", "the park extension"],
        "places": ["Riverton", "Oakdale", "Millbrook", "Fairhaven", "Lakeside", "Westfield", "Harbor City"],
        "names": ["Anna Lee", "Tom Baker", "Maria Santos", "David Cho", "Laura Green", "Peter Novak"],
        "roles": ["spokesperson", "council member", "director", "project manager"],
        "lead": "{place_upper} - {subject} {verb} {object} in {place} on {weekday}.",
        "sentences": [
            "According to {role} {name}, the decision followed complaints from residents.",
            "\u201cWe want the work finished before the end of the month,\u201d {name} said.",
            "The plan will be discussed again at next week's meeting.",
            "Residents had criticised {object} for months.",
            "The money comes from this year's budget.",
            "Officials asked residents to report problems as the work goes on.",
            "No official response had been given by the time of publication.",
            "{name} added that progress reports will be published regularly.",
        ],
        "labels": ["Local", "Politics", "Business", "Community", "Transport"],
        "authors": ["Editor", UNKNOWN_AUTHOR],
    },
}
SOURCE_INITIALS = ["prm", "rdp/rdp", "nwy/jat", "ash", "fik", "dnu/dnu"]


def generate_posts(spec: dict, blog_language: str, tz: timezone) -> list[dict]:
    """Deterministic synthetic posts in the shape of ``load_post``'s input.

    spec: count, seed (default 0), start (ISO, default 2019-01-01T08:00:00+07:00),
    step_minutes (default 90; post i is published start + i*step), language (default the
    blog's), with_source (default false: no repost footer)."""
    count, seed = int(spec.get("count", 0)), spec.get("seed", 0)
    start = parse_time(spec.get("start", "2019-01-01T08:00:00+07:00"), tz)
    step = timedelta(minutes=float(spec.get("step_minutes", 90)))
    language = "id" if spec.get("language", blog_language) == "id" else "en"
    return [
        synthetic_post(random.Random(f"{seed}:{index}"), language, start + index * step,
                       derived_id("post", seed, index), bool(spec.get("with_source")))
        for index in range(count)
    ]


def ifttt_time(moment: datetime) -> str:
    """{{EntryPublished}} as IFTTT prints it: 'April 06, 2019 at 07:37AM', always in English."""
    hour = moment.hour % 12 or 12
    return (f"{MONTHS['en'][moment.month - 1]} {moment.day:02d}, {moment.year} at "
            f"{hour:02d}:{moment.minute:02d}{'AM' if moment.hour < 12 else 'PM'}")


def headline(text: str) -> str:
    """Every word capitalised, acronyms left alone: 'Komisi C DPRD', 'Harga Bahan Pokok'."""
    return " ".join(word[:1].upper() + word[1:] for word in text.split())


def synthetic_post(rng: random.Random, language: str, published: datetime, post_id: str,
                   with_source: bool) -> dict:
    words = WORDS[language]
    subject, (verb, title_verb) = rng.choice(words["subjects"]), rng.choice(words["verbs"])
    obj, place = rng.choice(words["objects"]), rng.choice(words["places"])
    fill = {
        "subject": subject, "verb": verb, "object": obj, "place": place, "place_upper": place.upper(),
        "name": rng.choice(words["names"]), "role": rng.choice(words["roles"]),
        "weekday": WEEKDAYS[language][published.weekday()],
        "day": published.day, "month": published.month, "year": published.year,
    }
    sentences = rng.sample(words["sentences"], k=min(len(words["sentences"]), rng.randint(5, 8)))
    paragraphs = [words["lead"].format(**fill)]
    for chunk in range(0, len(sentences), 2):
        paragraphs.append(" ".join(s.format(**fill) for s in sentences[chunk:chunk + 2]))
    place_word = "di" if language == "id" else "in"
    post = {
        "post_id": post_id,
        "title": f"{headline(subject)} {title_verb} {headline(obj)} {place_word} {place}",
        "published": iso_ms(published.replace(microsecond=rng.randint(0, 9) * 1000)),
        "updated": iso_ms(published + timedelta(seconds=rng.randint(20, 900), milliseconds=rng.randint(0, 999))),
        "author": rng.choice(words["authors"]),
        "labels": rng.sample(words["labels"], k=rng.randint(1, 2)),
        "html": "".join(f"<p>{esc(p)}</p>" for p in paragraphs),
    }
    if rng.random() < 0.3:
        post["images"] = [f"https://blogger.googleusercontent.com/img/b/{post_id[-8:]}/s1600/foto.jpg"]
    if with_source:
        outlet_time = published - timedelta(minutes=rng.randint(5, 45))
        post["source"] = {
            "initials": rng.choice(SOURCE_INITIALS),
            "url": "http://bit.ly/" + "".join(rng.choice("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
                                              for _ in range(7)),
            "time": ifttt_time(outlet_time),
        }
    return post

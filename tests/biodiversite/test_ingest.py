from __future__ import annotations

from datetime import datetime

import pytest

from amorce.biodiversite.errors import BiodiversiteError
from amorce.biodiversite.ingest import group_events, read_deployments, scan, thumbnail, video_frames
from amorce.core.errors import DataValidationError

from .samples import scene


def test_scan_reads_nested_folders_dates_and_reports_every_problem(season_dir):
    season = scan(season_dir, now=datetime(2025, 1, 1))
    paths = {m.path: m for m in season.media}
    assert len(paths) == 10  # 7 + 2 images and one video; the corrupt file and the note are not media
    assert "site_B/cam2/visite1/IMG_0003.JPG" not in paths
    assert [p.file for p in season.report.skipped] == ["site_B/cam2/visite1/IMG_0003.JPG"]
    assert "illisible" in season.report.skipped[0].message
    assert season.report.ignored == 1
    # one deployment per folder of media when no deployments file is given
    assert set(season.deployments) == {"site_A/cam1/visite1", "site_B/cam2/visite1"}
    first = paths["site_A/cam1/visite1/IMG_0000.JPG"]
    assert first.timestamp == datetime(2024, 5, 10, 6, 0, 0) and first.time_source == "exif"
    video = paths["site_B/cam2/visite1/VID_0004.MP4"]
    assert video.kind == "video" and video.timestamp == datetime(2024, 5, 12, 8, 0, 0)
    absurd = {p.file for p in season.report.dates}
    assert absurd == {"site_B/cam2/visite1/IMG_0001.JPG", "site_B/cam2/visite1/IMG_0002.JPG"}
    assert all("horloge" in p.message for p in season.report.dates)


def test_missing_exif_date_uses_file_time_and_is_reported(tmp_path):
    folder = tmp_path / "cam"
    folder.mkdir()
    scene(3).save(folder / "a.jpg")
    season = scan(tmp_path)
    assert season.media[0].time_source == "file"
    assert "absente" in season.report.dates[0].message


def test_deployments_file_offsets_clock_and_groups_by_gap(season_dir, tmp_path):
    csv = tmp_path / "deployments.csv"
    csv.write_text(
        "deploymentID,locationName,latitude,longitude,deploymentStart,deploymentEnd,folder,clockOffsetSeconds,eventGapSeconds\n"
        "A1,Combe,45.1,6.2,2024-05-01T00:00:00,2024-06-01T00:00:00,site_A/cam1,0,600\n"
        "B2,Col,45.2,6.3,2024-05-01T00:00:00,2024-06-01T00:00:00,site_B,769046395,60\n", encoding="utf-8")
    deployments = read_deployments(csv)
    season = scan(season_dir, deployments, now=datetime(2025, 1, 1))
    b2 = sorted((m for m in season.media if m.deployment_id == "B2" and m.kind == "image"), key=lambda m: m.path)
    assert b2[0].timestamp.year == 2024  # the wrong clock (2000) corrected by the offset
    assert not [p for p in season.report.dates if "IMG_0001" in (p.file or "")]
    events = season.events()
    a1 = [e for e in events if e.deployment_id == "A1"]
    # gap 600 s: the burst at 06:00, the burst at 07:00 and the frame at 09:00 are 3 events
    assert [len(e.media) for e in a1] == [3, 3, 1]
    assert all(m.event_id == e.event_id for e in a1 for m in e.media)
    assert len(group_events([m for e in a1 for m in e.media], gap=3 * 3600 + 1)) == 1


def test_deployments_file_reports_all_problems_with_lines(tmp_path):
    csv = tmp_path / "d.csv"
    csv.write_text("deploymentID,latitude,deploymentStart,deploymentEnd,exclusionMasks\n"
                   "A,91,2024-05-01,2024-04-01,\n"
                   "A,45,hier,,0.1,0.2\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as caught:
        read_deployments(csv)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "ligne 2" in text and "latitude" in text and "précède" in text
    assert "ligne 3" in text and "double" in text


def test_unknown_source_folder_is_a_french_error(tmp_path):
    with pytest.raises(BiodiversiteError, match="introuvable"):
        scan(tmp_path / "absent")


def test_video_frames_and_blurred_thumbnail(season_dir):
    frames = video_frames(season_dir / "site_B/cam2/visite1/VID_0004.MP4", count=4, seconds=4)
    assert len(frames) == 4 and frames[0].size == (320, 240)
    from io import BytesIO

    from PIL import Image, ImageStat

    image = scene(5, animal_at=(0.0, 0.0))
    plain = Image.open(BytesIO(thumbnail(image, 160)))
    blurred = Image.open(BytesIO(thumbnail(image, 160, blur_boxes=[(0.5, 0.5, 0.5, 0.5)])))
    assert plain.size == blurred.size == (160, 120)
    box = (80, 60, 160, 120)
    assert ImageStat.Stat(blurred.crop(box).convert("L")).stddev[0] < ImageStat.Stat(plain.crop(box).convert("L")).stddev[0] / 2


def test_one_datetime_meaning_explicit_offset_honoured_naive_is_local(tmp_path):
    """Deployments, Camtrap DP media and observations read date-times with one parser: an explicit
    offset is converted to the deployment's zone, a time without offset is the camera's local time."""
    from zoneinfo import ZoneInfo

    from amorce.biodiversite.ingest import local_datetime

    paris = ZoneInfo("Europe/Paris")
    assert local_datetime("2024-05-01T10:00:00Z", paris) == datetime(2024, 5, 1, 12, 0)
    assert local_datetime("2024-05-01T12:00:00+02:00", paris) == datetime(2024, 5, 1, 12, 0)
    assert local_datetime("2024-05-01 10:00:00", paris) == datetime(2024, 5, 1, 10, 0)
    csv = tmp_path / "deployments.csv"
    csv.write_text("deploymentID,deploymentStart,deploymentEnd,timezone,malfunctions\n"
                   "A1,2024-05-01T08:00:00Z,2024-06-01T00:00:00,Europe/Paris,"
                   "2024-05-03T00:00:00+00:00/2024-05-04T00:00:00+00:00\n"
                   "B2,2024-05-01T08:00:00+02:00,,,\n", encoding="utf-8")
    deployments = read_deployments(csv)
    assert deployments["A1"].start == datetime(2024, 5, 1, 10, 0)  # 08:00 UTC is 10:00 in Paris (summer)
    assert deployments["A1"].end == datetime(2024, 6, 1, 0, 0)
    assert deployments["A1"].malfunctions == ((datetime(2024, 5, 3, 2, 0), datetime(2024, 5, 4, 2, 0)),)
    assert deployments["B2"].start == datetime(2024, 5, 1, 8, 0) and deployments["B2"].timezone == "Etc/GMT-2"


def test_frames_are_opened_with_the_decompression_bomb_limit(tmp_path, monkeypatch):
    from PIL import Image

    from amorce.biodiversite.ingest import load_frames
    from amorce.core.images import ImageRejected

    path = tmp_path / "grande.jpg"
    scene(3).resize((200, 100)).save(path)
    assert load_frames(path, "image", min_side=50, max_side=100)[0].size == (50, 25)  # JPEG decoded at 1/4
    assert load_frames(path, "image", max_side=100)[0].size == (100, 50)  # decoded whole, then reduced
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 15_000)  # 20,000 pixels: above, but under Pillow's 2× grace
    with pytest.raises(ImageRejected, match="Image refusée \\(grande.jpg\\)"):
        load_frames(path, "image", min_side=50)


def test_scan_reports_truncated_and_damaged_jpegs_checked_at_reduced_scale(tmp_path):
    """The readability check decodes JPEGs at 1/8 scale (draft mode) but still every compressed
    byte: a file cut short or damaged in its data is reported and skipped, whatever the cut."""
    from .samples import save_jpeg

    folder = tmp_path / "SD" / "site" / "cam" / "visite"
    good = save_jpeg(scene(3, size=(640, 480)), folder / "IMG_0001.JPG", datetime(2024, 6, 1, 12, 0, 0))
    data = good.read_bytes()
    for index, cut in enumerate((0.3, 0.7, 0.97), start=2):
        (folder / f"IMG_{index:04d}.JPG").write_bytes(data[:int(len(data) * cut)])
    season = scan(tmp_path / "SD", now=datetime(2025, 1, 1))
    assert [m.path for m in season.media] == ["site/cam/visite/IMG_0001.JPG"]
    assert sorted(p.file for p in season.report.skipped) == [f"site/cam/visite/IMG_{i:04d}.JPG" for i in (2, 3, 4)]


def test_scan_in_partitions_through_the_engine_gives_the_same_season(season_dir):
    """Large seasons are read in partitions by the engine's worker processes: same media, same dates,
    same problems as reading them all in the calling process."""
    whole = scan(season_dir, now=datetime(2025, 1, 1))
    parts = scan(season_dir, now=datetime(2025, 1, 1), engine="local", files_per_partition=3)
    assert parts.media == whole.media and len(parts.media) == 10
    assert parts.deployments == whole.deployments
    assert parts.report.to_dict() == whole.report.to_dict() and parts.report.skipped

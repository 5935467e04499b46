"""Metadata inferred from the text alone (no manifest), and the gazetteer behind it."""

from __future__ import annotations

import pytest

from xref.gazetteer import gazetteer
from xref.metadata import (
    date_line,
    infer_doc_number,
    infer_kind,
    infer_period,
    infer_title,
    qualify_issuer,
)
from xref.numerals import cn_to_int, int_to_cn

# doc: level, region, parent region, kind, issue date, period
EXPECTED = {
    "000": ("city", "上海市", None, "plan", "2022-03-21", (2021, 2025)),
    "001": ("district", "嘉定区", "上海市", "annual_report", "2024-12-18", (2024, 2024)),
    "002": ("district", "蓟州区", "天津市", "plan", "2021-10-20", (2021, 2025)),
    "003": ("city", "上海市", None, "work_points", "2023-04-24", (2023, 2023)),
    "004": ("district", "闵行区", "上海市", "implementation_opinions", "2023-11-17", (None, None)),
}
ISSUERS = {
    "000": "上海市市场监督管理局",
    "001": "上海市嘉定区市场监督管理局",
    # The notice is unsigned and says the plan passed the district government's executive
    # meeting (蓟州区第一届人民政府常务会议): the government issues it.
    "002": "天津市蓟州区人民政府",
    "003": "上海市市场监督管理局",
    "004": "上海市闵行区市场监督管理局",
}
TITLES = {
    "000": "上海法治市场监管建设实施方案（2021-2025年）",
    "001": "上海市嘉定区市场监督管理局2024年度法治政府建设工作情况报告",
    "002": "蓟州区市场监管“十四五”规划",
    "003": "2023年上海市市场监督管理局政务公开工作要点",
    "004": "闵行区市场监管局关于全面落实服务型监管 助推闵行经济社会高质量发展的实施意见",
}
OTHER = {  # publish date, document number
    "000": ("2022-03-30", "沪市监法规〔2022〕127号"),
    "001": ("2025-02-07", None),
    "002": (None, None),
    "003": ("2023-04-25", "沪市监办发〔2023〕191号"),
    "004": ("2024-01-24", None),
}


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_metadata(docs, prefix: str) -> None:
    meta = docs[prefix].meta
    level, region, parent, kind, issued, period = EXPECTED[prefix]
    assert (meta.level, meta.region, meta.parent_region) == (level, region, parent)
    assert (meta.kind, meta.issue_date) == (kind, issued)
    assert (meta.period_start, meta.period_end) == period
    assert meta.issuer == ISSUERS[prefix]
    assert meta.title == TITLES[prefix]
    assert (meta.publish_date, meta.doc_number) == OTHER[prefix]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("（沪市监法规20220127号）", "沪市监法规〔2022〕127号"),
        ("国发〔2021〕30号", "国发〔2021〕30号"),
        ("津政办发[2021]5号", "津政办发〔2021〕5号"),
        ("沪府发（2020）12号", "沪府发〔2020〕12号"),
        ("国市监法〔2021〕第7号", "国市监法〔2021〕7号"),
        ("京政发【2019】3号", "京政发〔2019〕3号"),
        ("发布文号 沪市监办发2023年第191号", "沪市监办发〔2023〕191号"),
        ("没有文号的标题", None),
    ],
)
def test_document_number_forms(line: str, expected: str | None) -> None:
    assert infer_doc_number([line], []) == expected


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("2022年3月21日", "2022-03-21"),
        ("20231117", "2023-11-17"),
        ("2025-02-07", "2025-02-07"),
        ("二〇二二年三月二十一日", "2022-03-21"),
        ("2022年3月21日印发", None),  # not a bare date line
        ("2022年13月1日", None),
    ],
)
def test_signature_dates(line: str, iso: str | None) -> None:
    assert date_line(line) == iso


@pytest.mark.parametrize(
    ("title", "kind", "period"),
    [
        ("上海法治市场监管建设实施方案（2021—2025年）", "plan", (2021, 2025)),
        ("天津市“十四五”市场监管现代化规划", "plan", (2021, 2025)),
        ("“十三五”市场监管规划", "plan", (2016, 2020)),
        ("2023年上海市市场监督管理局政务公开工作要点", "work_points", (2023, 2023)),
        ("关于全面落实服务型监管的实施意见", "implementation_opinions", (None, None)),
        ("某区2024年度法治政府建设工作情况报告", "annual_report", (2024, 2024)),
        ("市场监督管理行政执法责任制规定", "regulation", (None, None)),
        ("关于开展专项检查的通知", "notice", (None, None)),
    ],
)
def test_kind_and_period_from_title(title: str, kind: str, period: tuple) -> None:
    found = infer_kind(title)
    assert found == kind
    assert infer_period(title, found) == period


def test_title_from_a_notice_heading() -> None:
    lines = ["关于印发《蓟州区市场监管“十四五”规划》的通知", "", "各有关单位："]
    assert infer_title(lines) == "蓟州区市场监管“十四五”规划"


@pytest.mark.parametrize(
    ("issuer", "qualified"),
    [
        ("蓟州区人民政府", "天津市蓟州区人民政府"),
        ("上海市嘉定区市场监督管理局", "上海市嘉定区市场监督管理局"),
        ("上海市市场监督管理局", "上海市市场监督管理局"),
        ("国家市场监督管理总局", "国家市场监督管理总局"),
    ],
)
def test_district_issuers_get_their_city(issuer: str, qualified: str) -> None:
    assert qualify_issuer(issuer) == qualified


MUNICIPAL_DISTRICTS = {
    "北京市": "东城 西城 朝阳 丰台 石景山 海淀 门头沟 房山 通州 顺义 昌平 大兴 怀柔 平谷 密云 延庆",
    "天津市": "和平 河东 河西 南开 河北 红桥 东丽 西青 津南 北辰 武清 宝坻 滨海新 宁河 静海 蓟州",
    "上海市": "黄浦 徐汇 长宁 静安 普陀 虹口 杨浦 闵行 宝山 嘉定 浦东新 金山 松江 青浦 奉贤 崇明",
    "重庆市": "万州 涪陵 渝中 大渡口 江北 沙坪坝 九龙坡 南岸 北碚 綦江 大足 渝北 巴南 黔江 长寿 "
    "江津 合川 永川 南川 璧山 铜梁 潼南 荣昌 开州 梁平 武隆",
}
CHONGQING_COUNTIES = (
    "城口县 丰都县 垫江县 忠县 云阳县 奉节县 巫山县 巫溪县 石柱土家族自治县 秀山土家族苗族自治县 "
    "酉阳土家族苗族自治县 彭水苗族土家族自治县"
)


@pytest.mark.parametrize("municipality", sorted(MUNICIPAL_DISTRICTS))
def test_gazetteer_covers_every_district_of_the_municipalities(municipality: str) -> None:
    gz = gazetteer()
    (city,) = gz.by_name[municipality]
    assert city.level == "city"
    children = {d.name for d in gz.by_code.values() if d.parent_adcode == city.adcode}
    expected = {f"{name}区" for name in MUNICIPAL_DISTRICTS[municipality].split()}
    if municipality == "重庆市":
        expected |= set(CHONGQING_COUNTIES.split())
    assert expected <= children, expected - children
    for name in expected:
        division = gz.find(municipality + name)
        assert division is not None
        assert division.level == "district"
        assert gz.parent(division) == city


def test_gazetteer_covers_the_country() -> None:
    gz = gazetteer()
    levels = [d.kind for d in gz.by_code.values()]
    assert levels.count("prefecture") > 300
    assert levels.count("county") > 2800
    (suzhou_gusu,) = gz.by_name["姑苏区"]
    assert [d.name for d in gz.chain(suzhou_gusu)] == ["姑苏区", "苏州市", "江苏省"]


def test_ambiguous_district_names_are_resolved_by_context() -> None:
    gz = gazetteer()
    assert len(gz.by_name["宝山区"]) == 2  # Shanghai and Shuangyashan
    shanghai = gz.find("上海市宝山区市场监督管理局")
    assert shanghai is not None
    assert gz.parent(shanghai).name == "上海市"
    heilongjiang = gz.find("双鸭山市宝山区人民政府")
    assert heilongjiang is not None
    assert gz.parent(heilongjiang).name == "双鸭山市"
    assert gz.find("宝山区人民政府") is None  # no context: no guess


@pytest.mark.parametrize(
    ("text", "value"),
    [("十", 10), ("十四", 14), ("二十八", 28), ("一百零五", 105), ("二〇二二", 2022), ("三", 3)],
)
def test_chinese_numerals(text: str, value: int) -> None:
    assert cn_to_int(text) == value


def test_numbers_written_as_a_list_numbers_its_parts() -> None:
    """Word's chineseCounting lists: 一、…十、十一、…二十八、; every one reads back."""
    assert [int_to_cn(n) for n in (1, 10, 11, 20, 28, 105, 110)] == [
        "一",
        "十",
        "十一",
        "二十",
        "二十八",
        "一百零五",
        "一百一十",
    ]
    assert all(cn_to_int(int_to_cn(n)) == n for n in range(1, 1000))


def test_chinese_numerals_reject_other_text() -> None:
    with pytest.raises(ValueError):
        cn_to_int("十四五规划")

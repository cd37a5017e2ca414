"""The district's responsible units (责任单位), as the plan names them.

An officer account belongs to one unit; services authorise officer decisions by unit code
(the jobs service, for example, lets only `hrss` officers verify employers). Codes are stable
identifiers; names are shown in both languages.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    code: str
    zh: str
    en: str

    def as_dict(self) -> dict:
        return {"code": self.code, "name": {"zh-CN": self.zh, "en": self.en}}


UNITS: dict[str, Unit] = {
    unit.code: unit
    for unit in (
        Unit("organisation", "区委组织部", "District Party Committee Organisation Department"),
        Unit("youth_league", "团区委", "District Communist Youth League Committee"),
        Unit("hrss", "区人社局", "District Human Resources and Social Security Bureau"),
        Unit("finance", "区财政局", "District Finance Bureau"),
        Unit("staffing", "区委编办", "District Staffing Commission Office"),
        Unit("culture_tourism", "区文旅局", "District Culture and Tourism Bureau"),
        Unit("education_sports", "区教体局", "District Education and Sports Bureau"),
        Unit("education", "区教育局", "District Education Bureau"),
        Unit("townships", "两乡四办", "The two townships and four sub-district offices"),
        Unit("government_office", "区政府办", "District Government Office"),
        Unit("development_reform", "区发改委", "District Development and Reform Commission"),
        Unit("commerce_federation", "区工商联", "District Federation of Industry and Commerce"),
        Unit(
            "admin_service_center", "区行政服务保障中心", "District Administrative Service Centre"
        ),
        Unit("science_technology", "区科技局", "District Science and Technology Bureau"),
        Unit("industry_it", "区工信局", "District Industry and Information Technology Bureau"),
        Unit("housing", "区住建局", "District Housing and Urban-Rural Development Bureau"),
        Unit("trade_union", "区工会", "District Trade Union"),
        Unit("publicity", "区委宣传部", "District Party Committee Publicity Department"),
        Unit("womens_federation", "区妇联", "District Women's Federation"),
        Unit("public_security", "区公安分局", "District Public Security Sub-bureau"),
        Unit("civil_affairs", "区民政局", "District Civil Affairs Bureau"),
        Unit("cyberspace", "区委网信办", "District Cyberspace Affairs Office"),
        Unit("commerce", "区商务局", "District Commerce Bureau"),
        Unit("urban_management", "区城管局", "District Urban Management Bureau"),
        Unit("agriculture", "区农业农村局", "District Agriculture and Rural Affairs Bureau"),
        Unit("disease_control", "区疾控中心", "District Centre for Disease Control"),
        Unit("political_legal", "区政法委", "District Political and Legal Affairs Commission"),
        Unit("health", "区卫健委", "District Health Commission"),
        Unit("market_regulation", "区市场监管局", "District Market Regulation Bureau"),
        Unit("taxation", "区税务局", "District Taxation Bureau"),
    )
}

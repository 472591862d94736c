"""The registry's enumerations. Stored values are the national forms' own terms (so an import or
an export needs no mapping); labels are translatable for the English interface."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Category(models.TextChoices):
    REGISTERED_POOR = "registered_poor", _("Registered poor")
    MONITORED = "monitored", _("Monitored")
    MINIMUM_LIVING = "minimum_living", _("Minimum living allowance")
    EXTREME_HARDSHIP = "extreme_hardship", _("Extreme hardship support")
    DISABLED = "disabled", pgettext_lazy("household category", "Disabled")
    ELDERLY_ALONE = "elderly_alone", _("Elderly living alone")
    SPECIAL_FAMILY = "special_family", _("Special family")


# Special groups that get more care (delivered to the door, served first).
SPECIAL_GROUPS = frozenset({
    Category.MINIMUM_LIVING, Category.EXTREME_HARDSHIP, Category.DISABLED,
    Category.ELDERLY_ALONE, Category.SPECIAL_FAMILY,
})


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    LIFTED = "lifted", _("Lifted out of poverty")
    RISK_ELIMINATED = "risk_eliminated", _("Risk eliminated")
    CLOSED = "closed", _("Closed")


class MonitorType(models.TextChoices):
    UNSTABLE = "unstable", _("Unstable after lifting (脱贫不稳定户)")
    MARGINAL = "marginal", _("Marginal, easily impoverished (边缘易致贫户)")
    SUDDEN_HARDSHIP = "sudden_hardship", _("Sudden severe hardship (突发严重困难户)")


MONITOR_TYPE_NATIONAL = {
    MonitorType.UNSTABLE: "脱贫不稳定户",
    MonitorType.MARGINAL: "边缘易致贫户",
    MonitorType.SUDDEN_HARDSHIP: "突发严重困难户",
}


class IdentificationStandard(models.TextChoices):
    NATIONAL = "国家标准", _("National standard")
    PROVINCIAL = "省定标准", _("Provincial standard")
    MUNICIPAL = "市定标准", _("Municipal standard")


class PovertyAttribute(models.TextChoices):
    GENERAL = "一般脱贫户", _("General lifted household")
    MINIMUM_LIVING = "低保脱贫户", _("Lifted household on minimum living allowance")
    EXTREME_HARDSHIP = "特困供养脱贫户", _("Lifted household on extreme hardship support")
    GENERAL_POOR = "一般贫困户", _("General poor household")
    MINIMUM_LIVING_POOR = "低保贫困户", _("Poor household on minimum living allowance")
    EXTREME_HARDSHIP_POOR = "特困供养贫困户", _("Poor household on extreme hardship support")


class PovertyCause(models.TextChoices):
    ILLNESS = "因病", _("Illness")
    DISABILITY = "因残", _("Disability")
    SCHOOLING = "因学", _("Schooling costs")
    DISASTER = "因灾", _("Disaster")
    NO_LAND = "缺土地", _("Lack of land")
    NO_WATER = "缺水", _("Lack of water")
    NO_SKILLS = "缺技术", _("Lack of skills")
    NO_LABOR = "缺劳力", _("Lack of labour")
    NO_CAPITAL = "缺资金", _("Lack of capital")
    POOR_TRANSPORT = "交通条件落后", _("Poor transport")
    LOW_MOTIVATION = "自身发展动力不足", _("Low motivation")
    MARRIAGE = "因婚", _("Marriage")
    FUNERAL = "因丧", _("Funeral")
    OTHER = "其他", _("Other")


class Risk(models.TextChoices):
    ILLNESS = "因病", _("Illness")
    SCHOOLING = "因学", _("Schooling costs")
    DISABILITY = "因残", _("Disability")
    NATURAL_DISASTER = "因自然灾害", _("Natural disaster")
    ACCIDENT = "因意外事故", _("Accident")
    PROJECT_FAILURE = "因产业项目失败", _("Failed business project")
    UNSTABLE_WORK = "因务工就业不稳", _("Unstable employment")
    NO_LABOR = "缺劳动力", pgettext_lazy("risk", "Lack of labour")
    HOUSING = "住房安全", _("Housing safety")
    WATER = "饮水安全", _("Drinking water safety")
    OTHER = "其他", _("Other")


class RiskEliminationMethod(models.TextChoices):
    ASSISTED = "帮扶消除", _("Eliminated with assistance")
    NATURAL = "自然消除", _("Eliminated naturally")


class RoadType(models.TextChoices):
    DIRT = "泥土路", _("Dirt road")
    GRAVEL = "砂石路", _("Gravel road")
    CEMENT = "水泥路", _("Cement road")
    ASPHALT = "沥青路", _("Asphalt road")


class DilapidationLevel(models.TextChoices):
    C = "C级", _("Grade C")
    D = "D级", _("Grade D")


class FuelType(models.TextChoices):
    FIREWOOD = "柴草", _("Firewood and straw")
    DUNG = "干畜粪", _("Dried dung")
    COAL = "煤炭", _("Coal")
    CLEAN = "清洁能源", _("Clean energy")
    OTHER = "其它", pgettext_lazy("fuel", "Other")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


SEX_NATIONAL = {"M": "男", "F": "女"}


class IdType(models.TextChoices):
    RESIDENT_ID = "居民身份证", _("Resident ID card")
    DISABILITY = "残疾人证", _("Disability certificate")


class Relation(models.TextChoices):
    HEAD = "户主", _("Head of household")
    SPOUSE = "配偶", _("Spouse")
    SON = "之子", _("Son")
    DAUGHTER = "之女", _("Daughter")
    DAUGHTER_IN_LAW = "之儿媳", _("Daughter-in-law")
    SON_IN_LAW = "之女婿", _("Son-in-law")
    GRANDSON = "之孙子", _("Grandson (son's son)")
    GRANDDAUGHTER = "之孙女", _("Granddaughter (son's daughter)")
    DAUGHTERS_SON = "之外孙子", _("Grandson (daughter's son)")
    DAUGHTERS_DAUGHTER = "之外孙女", _("Granddaughter (daughter's daughter)")
    FATHER = "之父", _("Father")
    MOTHER = "之母", _("Mother")
    FATHER_IN_LAW_W = "之岳父", _("Father-in-law (wife's father)")
    MOTHER_IN_LAW_W = "之岳母", _("Mother-in-law (wife's mother)")
    FATHER_IN_LAW_H = "之公公", _("Father-in-law (husband's father)")
    MOTHER_IN_LAW_H = "之婆婆", _("Mother-in-law (husband's mother)")
    GRANDFATHER = "之祖父", _("Grandfather (father's father)")
    GRANDMOTHER = "之祖母", _("Grandmother (father's mother)")
    MATERNAL_GRANDFATHER = "之外祖父", _("Grandfather (mother's father)")
    MATERNAL_GRANDMOTHER = "之外祖母", _("Grandmother (mother's mother)")
    SIBLING = "之兄弟姐妹", _("Sibling")
    GREAT_GRANDSON = "之曾孙子", _("Great-grandson")
    GREAT_GRANDDAUGHTER = "之曾孙女", _("Great-granddaughter")
    NEPHEW = "之侄儿", _("Nephew")
    NIECE = "之侄女", _("Niece")
    SISTER_IN_LAW = "之兄弟媳妇", _("Sister-in-law")
    UNCLE = "之叔伯", _("Uncle")
    OTHER = "其他", _("Other")


class Education(models.TextChoices):
    ILLITERATE = "文盲或半文盲", _("Illiterate or semi-literate")
    PRIMARY = "小学", _("Primary school")
    JUNIOR = "初中", _("Junior secondary")
    SENIOR = "高中", _("Senior secondary")
    COLLEGE = "大专", _("College")
    BACHELOR = "本科及以上", _("Bachelor or above")


class SchoolStatus(models.TextChoices):
    PRESCHOOL_CHILD = "学龄前儿童", _("Pre-school child")
    PRESCHOOL = "学前教育", _("Pre-school education")
    PRIMARY = "小学", _("Primary school")
    GRADE_7 = "七年级", _("Grade 7")
    GRADE_8 = "八年级", _("Grade 8")
    GRADE_9 = "九年级", _("Grade 9")
    HIGH_1 = "普通高中一年级", _("Senior high, year 1")
    HIGH_2 = "普通高中二年级", _("Senior high, year 2")
    HIGH_3 = "普通高中三年级", _("Senior high, year 3")
    VOCATIONAL_1 = "中职一年级", _("Secondary vocational, year 1")
    VOCATIONAL_2 = "中职二年级", _("Secondary vocational, year 2")
    VOCATIONAL_3 = "中职三年级", _("Secondary vocational, year 3")
    HIGHER_VOCATIONAL_1 = "高职高专一年级", _("Higher vocational, year 1")
    HIGHER_VOCATIONAL_2 = "高职高专二年级", _("Higher vocational, year 2")
    HIGHER_VOCATIONAL_3 = "高职高专三年级", _("Higher vocational, year 3")
    UNDERGRADUATE_1 = "本科一年级", _("Undergraduate, year 1")
    UNDERGRADUATE_2 = "本科二年级", _("Undergraduate, year 2")
    UNDERGRADUATE_3 = "本科三年级", _("Undergraduate, year 3")
    UNDERGRADUATE_4 = "本科四年级", _("Undergraduate, year 4")
    UNDERGRADUATE_5 = "本科五年级", _("Undergraduate, year 5")
    POSTGRADUATE = "硕士研究生及以上", _("Postgraduate")


class Health(models.TextChoices):
    HEALTHY = "健康", _("Healthy")
    CHRONIC = "长期慢性病", _("Long-term chronic illness")
    SERIOUS = "患有大病", _("Serious illness")
    DISABLED = "残疾", _("Disabled")


class DisabilityGrade(models.TextChoices):
    """残疾等级 on the disability certificate (一级 the most severe); the severe disability nursing
    subsidy (重度残疾人护理补贴) is owed for grades 一级 and 二级."""

    GRADE_1 = "一级", _("Grade 1 (most severe)")
    GRADE_2 = "二级", _("Grade 2")
    GRADE_3 = "三级", _("Grade 3")
    GRADE_4 = "四级", _("Grade 4")


SEVERE_DISABILITY_GRADES = [DisabilityGrade.GRADE_1, DisabilityGrade.GRADE_2]


class LaborSkill(models.TextChoices):
    ORDINARY = "普通劳动力", _("Ordinary labour")
    SKILLED = "技能劳动力", _("Skilled labour")
    WEAK = "弱劳动力或半劳动力", _("Weak or half labour")
    LOST = "丧失劳动力", _("Lost ability to work")
    NONE = "无劳动力", _("No labour")


class PoliticalStatus(models.TextChoices):
    PARTY_MEMBER = "中共党员", _("CPC member")
    PROBATIONARY = "中共预备党员", _("CPC probationary member")
    LEAGUE = "共青团员", _("Communist Youth League member")
    MASSES = "群众", _("Ordinary citizen")


class WorkStatus(models.TextChoices):
    LOCAL = "乡镇内务工", _("Working within the township")
    COUNTY = "乡镇外县内务工", _("Working in the county")
    PROVINCE = "县外省内务工", _("Working in the province")
    OUTSIDE = "省外务工", _("Working outside the province")
    OTHER = "其他", _("Other")

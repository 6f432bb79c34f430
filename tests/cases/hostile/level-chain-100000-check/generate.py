"""Write TMP/big.yaml: a valid standard of 100,000 levels, each including
the one below it, with an eligibility clause and a work table per level and
one theory and one skills weight table of 100,000 columns. The lowest level
holds the one work content; every level above inherits it."""
import sys

N = 100000
out = []
w = out.append
w("""skillc: 1
id: chain
meta:
  number: ""
  ics: ""
  ccs: ""
  kind: 团体标准
  title: {zh: 长链职业技能要求, en: Chain professional skills requirements}
  status: draft
  status_text: 草案
  issuer: 某某协会
  published: ""
  effective: ""
  proposer: 某某协会
  drafting_units: []
  participating_units: []
  drafters: []
  foreword: []
scope: {clause: "1", title: 范围, paragraphs: []}
normative_references: {clause: "2", title: 规范性引用文件, paragraphs: [], documents: []}
terms: {clause: "3", title: 术语和定义, intro: 下列术语和定义适用于本文件。, entries: []}
occupation:
  clause: "4"
  title: 职业概况
  name: 示例职业
  levels: {clause: "4.1", title: 职业技能等级, text: 本职业共设十万个等级。}
  environment: {clause: "4.2", title: 职业环境条件, text: 室内，常温。}
  assessment: {clause: "4.3", title: 职业技能鉴定要求}
levels:
  - {key: l0, name: 第0级}
""")
for i in range(1, N):
    w("  - {key: l%d, name: 第%d级, includes: l%d}\n" % (i, i, i - 1))
w("eligibility:\n")
for i in range(N):
    cert = ", certificate: l%d" % (i - 1) if i else ""
    w("  - {level: l%d, clause: \"4.3.1\", title: 申报条件, intro: 具备以下条件者：, "
      "routes: [{label: a, text: 取得证书。%s}]}\n" % (i, cert))
w("""assessment:
  methods: {clause: "4.3.2", title: 鉴定方式, intro: "", items: []}
  pass_score: {clause: "4.3.3", title: 合格判据, text: "", full_marks: 100, score: 60}
  ratios: {clause: "4.3.4", title: 监考人员、考评人员与考生配比, text: "", items: []}
  durations: {clause: "4.3.5", title: 鉴定时间, text: "", items: []}
  venues: {clause: "4.3.6", title: 鉴定场所设备, intro: "", items: []}
basic_requirements: {clause: "5", title: 基本要求, education: none, sections: []}
work_requirements:
  clause: "6"
  title: 工作要求
  general: {clause: "6.1", title: 通用要求, text: ""}
  tables:
    - level: l0
      clause: "6.2"
      title: 第0级
      intro: 第0级工作要求见表1。
      number: 表1
      caption: 第0级工作要求
      header: [职业功能, 工作内容, 技能要求, 相关知识要求]
      capabilities:
        - id: "1"
          name: 作业准备
          contents:
            - key: inspection
              id: "1.1"
              name: 车辆检查
              skills: [{id: "1.1.1", text: 能检查车辆}]
              knowledge: [{id: "1.1.1", text: 车辆检查项目}]
""")
for i in range(1, N):
    w("    - {level: l%d, clause: \"6.2\", title: 第%d级, intro: \"\", number: \"\", "
      "caption: \"\", header: [], capabilities: []}\n" % (i, i))
cols = "".join("\n            - {level: l%d, label: 第%d级 %%}" % (i, i) for i in range(N))
weights = "[" + ", ".join(["100"] * N) + "]"
w("weights:\n  clause: \"7\"\n  title: 权重表\n  sections:\n"
  "    - clause: \"7.1\"\n      title: 全部等级\n      tables:\n")
for n, (kind, title) in enumerate((("theory", "理论知识"), ("skills", "技能要求"))):
    w("""        - clause: "7.1.%d"
          title: %s权重表
          intro: ""
          number: 表%d
          caption: %s权重分配
          kind: %s
          header: [项目, 技能等级]
          columns:%s
          groups:
            - label: 相关知识要求
              rows:
                - content: inspection
                  label: 车辆检查
                  weights: %s
          total: {label: 合计, weights: %s}
""" % (n + 1, title, n + 2, title, kind, cols, weights, weights))
with open(sys.argv[1] + "/big.yaml", "w", encoding="utf-8") as f:
    f.write("".join(out))

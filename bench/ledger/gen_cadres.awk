# gen_cadres.awk - N synthetic cadre rows for the import benchmark (seeded).
# usage: awk -v n=1000000 -v seed=1 -f gen_cadres.awk > cadres.csv
# Valid GB 11643 numbers (unique sequence part), units U0000..U0999,
# Guangxi hometowns, realistic grades. Demo data, not real people.
BEGIN {
    srand(seed);
    split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ");
    split("正科 副科 科员 正处 副处 其他", ranks, " ");
    split("研究生 本科 大专 中专及以下", edu, " ");
    split("驾驶 农业种植 畜牧 水利 医疗 教育 财会 法律 电商 党建 综治维稳", sk, " ");
    split("优秀 称职 称职 称职 基本称职", gr, " ");
    print "身份证号,姓名,单位代码,职级,党员,后备干部,在职在编,学历,专业技能,农村工作年限,工作年限,籍贯区划,年度考核,纪律处分,自愿报名,意向地区,性别,出生日期,配偶身份证号";
    for (i = 0; i < n; i++) {
        # (seq, county, year, month) is unique for i < 9,600,000.
        seq = i % 1000;
        y = 1960 + int(i / 20000) % 40; m = 1 + int(i / 800000) % 12; d = 1 + int(rand() * 28);
        id = sprintf("4501%02d%04d%02d%02d%03d", 2 + int(i / 1000) % 20, y, m, d, seq);
        s = 0; for (k = 1; k <= 17; k++) s += substr(id, k, 1) * w[k];
        id = id substr("10X98765432", s % 11 + 1, 1);
        gender = (substr(id, 17, 1) % 2) ? "男" : "女";
        svc = int(rand() * (2018 - y - 18)); if (svc < 0) svc = 0;
        printf "%s,干部%d,U%04d,%s,%s,%s,是,%s,%s,%d,%d,450124,2016:%s;2017:%s,,%s,,%s,%04d-%02d-%02d,\n",
            id, i, i % 1000, ranks[1 + int(rand() * 6)], rand() < 0.7 ? "是" : "否",
            rand() < 0.1 ? "是" : "否", edu[1 + int(rand() * 4)], sk[1 + int(rand() * 11)],
            (svc < 5 ? svc : int(rand() * 5)), svc, gr[1 + int(rand() * 5)], gr[1 + int(rand() * 5)],
            rand() < 0.3 ? "是" : "否", gender, y, m, d;
    }
}

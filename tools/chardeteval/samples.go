package main

// stories are the Chinese news items of internal/decode's tests: title and
// body, written for this project.
var stories = [][2]string{
	{"上海居民凌晨排队抢购蔬菜 社区封控进入第三周",
		"记者走访浦东多个小区发现，居民从凌晨四点起就在超市门口排队。一位退休教师说，家里的米只够吃两天，社区发的物资迟迟没有送到。官方通报称，物资供应总体充足，但不少居民表示“根本买不到”。"},
	{"多地高校学生抗议宿舍断电 校方称系线路检修",
		"本周一晚间，至少三所大学的学生在宿舍楼下聚集，要求恢复供电和热水。校方发布通知说，断电是为了检修老化线路，预计周末前完成。有学生在网上发文质疑，检修为何偏偏选在考试周。"},
	{"外交部回应记者提问：将坚决维护国家主权",
		"外交部发言人在例行记者会上表示，有关国家应停止干涉中国内政。对于外国记者提出的签证问题，发言人没有正面回答，只说相关部门会依法处理。分析人士认为，这番表态反映出北京对外政策日趋强硬。"},
	{"河南村镇银行储户再度聚集维权 要求取回存款",
		"数百名来自全国各地的储户聚集在郑州，举着标语要求银行兑付存款。现场有人被便衣人员带走，也有储户的健康码突然变成红码，无法出行。律师指出，这种做法没有任何法律依据。"},
	{"深圳科技企业裁员潮蔓延 应届毕业生求职更难",
		"今年以来，深圳多家互联网公司宣布缩减招聘规模，部分部门整体裁撤。一名刚毕业的研究生说，他投了一百多份简历，只收到两次面试通知。专家建议年轻人调整期望，先就业再择业。"},
	{"香港立法會通過新條例 民主派議員表示憂慮",
		"立法會週四以大比數通過條例草案，多名前議員在會外示威，批評政府沒有充分諮詢市民。保安局長強調，新法只針對極少數人，一般市民的言論自由不受影響。法律學者則擔心條文定義模糊。"},
	{"臺灣總統府發表聲明 呼籲兩岸恢復對話",
		"總統府發言人在記者會上說，政府願意在對等、尊嚴的基礎上與對岸展開溝通，但絕不接受以武力威脅為前提的談判。在野黨表示支持對話，同時要求政府加強國防預算的透明度。"},
	{"颱風登陸前夕 沿海居民連夜加固門窗",
		"氣象局發布海上及陸上颱風警報，預計颱風將於明日清晨登陸東部。沿海鄉鎮的居民忙著搬沙包、釘木板，漁船也全部回港避風。學校宣布停課一天，鐵路部分班次取消。"},
	{"海外華人集會紀念六四 呼籲釋放良心犯",
		"數千名海外華人在多個城市舉行燭光晚會，悼念三十多年前在北京遇難的學生和市民。主辦單位表示，只要還有人被關押，他們每年都會站出來。現場有年輕留學生第一次參加，說自己在國內從來不知道這段歷史。"},
	{"法輪功學員遊行 講述在大陸受迫害經歷",
		"遊行隊伍從市中心出發，學員們手持橫幅，向路人發送真相資料。一位剛從大陸來到海外的學員說，她曾被非法關押兩年，在獄中遭受酷刑。她希望更多人了解這場迫害的真相。"},
}

// western are Western-language news sentences written for this project,
// for Windows-1252.
var western = []string{
	"Élections régionales : la société civile réclame des garanties",
	"Les associations dénoncent un scrutin organisé à la hâte. « Nous voulons des observateurs indépendants », déclare leur porte-parole, qui évoque des pressions sur les électeurs âgés.",
	"Zürich: Bürger protestieren gegen die Überwachung öffentlicher Plätze",
	"Mehr als tausend Menschen zogen am Samstag durch die Innenstadt. Die Behörden betonen, die Kameras dienten ausschließlich der Sicherheit; Kritiker fürchten eine schleichende Ausweitung.",
	"España: el gobierno aprueba la reforma de las pensiones",
	"La reforma, aprobada el martes, eleva las cotizaciones de los salarios más altos. Los sindicatos la califican de «insuficiente» y anuncian movilizaciones en otoño.",
	"Grève à Marseille : les dockers bloquent le port pour la deuxième journée",
	"Die Regierung verschärft die Regeln für Demonstrationen vor dem Landtag",
	"Portugal: manifestação em Lisboa contra o aumento das rendas",
	"Les journalistes étrangers expulsés réclament des explications à l’ambassade",
	"Österreich: Verfassungsgerichtshof kippt umstrittenes Überwachungsgesetz",
	"Café, crème et croissants : la hausse des prix inquiète les ménages français",
	"El portavoz afirmó que «no habrá más retrasos» en la investigación del naufragio",
	"Über 200 Künstler fordern die Freilassung des inhaftierten Schriftstellers",
	"A coalizão anunciou na terça-feira que não apoiará a reforma tributária",
	"Le ministre a présenté sa démission après les révélations de la presse — une première depuis 1998",
}

/* names.c — name, place and document tables for the synthetic watchlist.
 *
 * Written for ctwatch from general knowledge of common given and family
 * names in each culture (names are facts; no other project's lists were
 * copied). Entry format: see synth_int.h ("Latin|variant=original~nick").
 * Each table is ordered roughly most common first, because the generator
 * draws early entries more often.
 *
 * Well-known individuals' full names are avoided on purpose: a synthetic
 * list should produce chance collisions with common names, not plant real
 * people.
 */
#include <string.h>

#include "synth/synth_int.h"

#define LIST(a) {a, sizeof a / sizeof a[0]}

/* ---- Arabic --------------------------------------------------------------- */

static const char *const arabic_male[] = {
    "Mohammed|Muhammad|Mohamed|Mohammad|Mohamad=محمد~Hamoudi",
    "Ahmed|Ahmad=أحمد",
    "Ali=علي",
    "Abdullah|Abdallah|Abd Allah|Abdulla=عبد الله",
    "Omar|Umar=عمر",
    "Khalid|Khaled=خالد",
    "Youssef|Yusuf|Yousef|Yousif=يوسف",
    "Ibrahim|Ebrahim|Brahim=إبراهيم",
    "Hassan|Hasan=حسن",
    "Hussein|Hussain|Husayn=حسين",
    "Mahmoud|Mahmud|Mahmood=محمود",
    "Mustafa|Moustafa|Mostafa=مصطفى",
    "Abd al-Rahman|Abdulrahman|Abdel Rahman|Abderrahmane|Abdul Rahman=عبد الرحمن",
    "Abd al-Aziz|Abdulaziz|Abdelaziz|Abdul Aziz=عبد العزيز",
    "Saeed|Said|Saied=سعيد",
    "Hamza|Hamzah=حمزة",
    "Bilal=بلال",
    "Tariq|Tarek|Tarik=طارق",
    "Abd al-Karim|Abdulkarim|Abdelkarim=عبد الكريم",
    "Abd al-Qadir|Abdulqadir|Abdelkader|Abdul Qadir=عبد القادر",
    "Osama|Usama|Oussama=أسامة",
    "Yasser|Yasir|Yaser=ياسر",
    "Walid|Waleed=وليد",
    "Faisal|Faysal|Faycal=فيصل",
    "Nasser|Nasir|Naser=ناصر",
    "Jamal|Gamal=جمال",
    "Karim|Kareem=كريم",
    "Rashid|Rachid|Rasheed=رشيد",
    "Saleh|Salih=صالح",
    "Salah|Salaheddine=صلاح",
    "Ziad|Ziyad=زياد",
    "Samir|Sameer=سمير",
    "Adel|Adil=عادل",
    "Amr|Amro=عمرو",
    "Anas=أنس",
    "Hisham|Hicham=هشام",
    "Marwan=مروان",
    "Othman|Uthman|Osman=عثمان",
    "Suleiman|Sulayman|Soliman=سليمان",
    "Ismail|Ismael|Smail=إسماعيل",
    "Yahya|Yehia=يحيى",
    "Zakaria|Zakariya=زكريا",
    "Mansour|Mansur=منصور",
    "Abd al-Hamid|Abdulhamid|Abdelhamid=عبد الحميد",
    "Abd al-Malik|Abdulmalik|Abdelmalek=عبد الملك",
    "Majid|Majed=ماجد",
    "Fadi=فادي",
    "Sami|Samy=سامي",
    "Imad|Emad=عماد",
    "Iyad|Eyad=إياد",
    "Haitham|Haytham=هيثم",
    "Jaber|Jabir=جابر",
    "Nabil|Nabeel=نبيل",
    "Abbas=عباس",
    "Qasim|Kassem|Qassem=قاسم",
    "Murad|Mourad=مراد",
    "Muhannad|Mohannad=مهند",
    "Talal=طلال",
    "Fahd|Fahad=فهد",
    "Sultan=سلطان",
    "Badr|Bader=بدر",
    "Hamid|Hamed=حامد",
    "Idris|Idriss=إدريس",
    "Khalil|Khaleel=خليل",
    "Moussa|Musa|Mousa=موسى",
    "Nour al-Din|Nureddin|Noureddine=نور الدين",
    "Riyad|Riad=رياض",
    "Wael=وائل",
    "Zaid|Zayd|Zeid=زيد",
    "Tamer|Tamir=تامر",
};

static const char *const arabic_female[] = {
    "Fatima|Fatimah|Fatma=فاطمة",
    "Aisha|Aicha|Aysha=عائشة",
    "Khadija|Khadijah|Khadidja=خديجة",
    "Maryam|Mariam|Meriem=مريم",
    "Zainab|Zaynab|Zeinab=زينب",
    "Amina|Aminah=آمنة",
    "Nour|Noor|Nur=نور",
    "Layla|Leila|Laila=ليلى",
    "Hanan=حنان",
    "Samira|Sameera=سميرة",
    "Salma=سلمى",
    "Huda|Houda=هدى",
    "Asma|Asmaa=أسماء",
    "Rania=رانيا",
    "Yasmin|Yasmine=ياسمين",
    "Sara|Sarah=سارة",
    "Iman|Eman=إيمان",
    "Reem|Rim=ريم",
    "Safiya|Safia=صفية",
    "Hafsa|Hafsah=حفصة",
};

static const char *const arabic_family[] = {
    "al-Tamimi=التميمي",
    "al-Dulaimi|al-Dulaymi=الدليمي",
    "al-Jubouri|al-Juburi|al-Jabouri=الجبوري",
    "al-Qahtani=القحطاني",
    "al-Shammari=الشمري",
    "al-Obeidi|al-Ubaydi=العبيدي",
    "al-Ani=العاني",
    "al-Masri=المصري",
    "Haddad=حداد",
    "al-Zahrani=الزهراني",
    "al-Ghamdi=الغامدي",
    "al-Otaibi|al-Utaybi=العتيبي",
    "al-Harbi=الحربي",
    "al-Mutairi=المطيري",
    "al-Anzi|al-Enezi=العنزي",
    "al-Shehri=الشهري",
    "al-Hashimi|al-Hashemi=الهاشمي",
    "al-Husseini|al-Husayni=الحسيني",
    "al-Khatib=الخطيب",
    "al-Sayed|al-Sayyid=السيد",
    "al-Najjar=النجار",
    "Khalil=خليل",
    "Ibrahim=إبراهيم",
    "Hassan=حسن",
    "Mahmoud=محمود",
    "Mansour=منصور",
    "Saleh=صالح",
    "Nasser=ناصر",
    "Hamdan=حمدان",
    "Abdallah=عبد الله",
    "Darwish=درويش",
    "Qasim|Kassem=قاسم",
    "Othman=عثمان",
    "Awad=عوض",
    "Farouk|Farouq=فاروق",
    "Saad=سعد",
    "Sharif|Cherif=شريف",
    "al-Bakri=البكري",
    "al-Rifai|al-Refaei=الرفاعي",
    "al-Ahmad=الأحمد",
    "al-Ali=العلي",
    "al-Hassan=الحسن",
    "al-Hussein=الحسين",
    "al-Mohammed=المحمد",
    "al-Khalaf=الخلف",
    "al-Hamoud=الحمود",
    "al-Issa=العيسى",
    "al-Omar=العمر",
    "al-Halabi=الحلبي",
    "al-Homsi=الحمصي",
    "al-Shami=الشامي",
    "al-Baghdadi=البغدادي",
    "al-Mawsili|al-Mosuli=الموصلي",
    "al-Ansari=الأنصاري",
    "al-Qurashi=القرشي",
    "al-Adeni=العدني",
    "al-Hadrami=الحضرمي",
    "al-Rubaie|al-Rubaiy=الربيعي",
    "al-Janabi=الجنابي",
    "al-Zubaidi=الزبيدي",
    "al-Issawi|al-Essawi=العيساوي",
    "al-Fahdawi=الفهداوي",
    "al-Maliki=المالكي",
    "al-Saadi=السعدي",
    "al-Raymi=الريمي",
    "al-Amoudi=العمودي",
    "al-Ahmar=الأحمر",
    "al-Warfalli=الورفلي",
    "Ben Ali=بن علي",
    "Ben Salah=بن صالح",
    "Ben Youssef=بن يوسف",
    "Trabelsi=الطرابلسي",
    "Jebali=الجبالي",
    "Hammami=الحمامي",
    "Belhaj=بلحاج",
    "Boukhari=البخاري",
    "El Idrissi=الإدريسي",
    "Alaoui=العلوي",
    "Bennani=بناني",
    "El Amrani=العمراني",
    "Belkacem=بلقاسم",
    "Benyahia=بن يحيى",
    "Hamidi=حميدي",
    "Saidi=سعيدي",
    "Zerrouki=زروقي",
    "Mahfouz=محفوظ",
    "Ragab=رجب",
    "Shehata=شحاتة",
    "Salem=سالم",
    "Badawi=بدوي",
    "Abu Zaid=أبو زيد",
    "Abu Hamdan=أبو حمدان",
    "Nassar=نصار",
    "Odeh|Odah=عودة",
    "Hijazi|Hegazy=حجازي",
    "al-Zoubi|Zoubi=الزعبي",
    "Saqr=صقر",
    "Shalabi=شلبي",
    "Bawazir|Ba Wazir=باوزير",
};

/* ---- Afghan and Persian ---------------------------------------------------- */

static const char *const afghan_male[] = {
    "Mohammad|Muhammad|Mohammed=محمد",
    "Abdul Rahman|Abdulrahman|Abdurrahman=عبدالرحمن",
    "Ahmad|Ahmed=احمد",
    "Abdul Ghani|Abdulghani=عبدالغنی",
    "Gul Ahmad|Gul Ahmed=گل احمد",
    "Abdul Qadir|Abdul Qader=عبدالقادر",
    "Abdul Rahim|Abdurrahim=عبدالرحیم",
    "Noor Mohammad|Nur Muhammad=نور محمد",
    "Sher Mohammad|Sher Muhammad=شیر محمد",
    "Abdul Hakim=عبدالحکیم",
    "Abdul Salam|Abdussalam=عبدالسلام",
    "Abdul Wahid|Abdul Waheed=عبدالواحد",
    "Khan Mohammad=خان محمد",
    "Jan Mohammad=جان محمد",
    "Hekmatullah|Hikmatullah=حکمت الله",
    "Rahmatullah=رحمت الله",
    "Najibullah=نجیب الله",
    "Amanullah=امان الله",
    "Ehsanullah|Ihsanullah=احسان الله",
    "Zabihullah=ذبیح الله",
    "Habibullah=حبیب الله",
    "Sirajuddin|Sirajudin=سراج الدین",
    "Fazal|Fazl=فضل",
    "Nasir|Naser=ناصر",
    "Mansoor|Mansur=منصور",
    "Hamid=حمید",
    "Karim=کریم",
    "Rahim=رحیم",
    "Wali=ولی",
    "Yaqub|Yaqoob=یعقوب",
    "Zahir|Zaher=ظاهر",
    "Akhtar=اختر",
    "Baz Mohammad=باز محمد",
    "Dost Mohammad=دوست محمد",
    "Shah Wali=شاه ولی",
    "Gul Agha=گل آغا",
    "Ismatullah=عصمت الله",
    "Mawlawi Noor|Noor=نور",
};

static const char *const afghan_female[] = {
    "Fatima|Fatema=فاطمه", "Zahra=زهرا", "Maryam=مریم", "Malalai=ملالی",
    "Parwin|Parveen=پروین", "Shabnam=شبنم", "Farzana=فرزانه", "Nasrin=نسرین",
};

static const char *const afghan_family[] = {
    "Haqqani=حقانی", "Popal=پوپل", "Durrani=درانی", "Zadran=زدران", "Mangal=منگل",
    "Noorzai|Noorzay=نورزی", "Alizai=علیزی", "Achakzai=اچکزی", "Stanikzai|Stanekzai=استانکزی",
    "Wardak=وردک", "Khan=خان", "Ghilzai=غلزی", "Barakzai=بارکزی", "Ishaqzai|Ishaqzay=اسحاقزی",
    "Kakar=کاکر", "Mohmand=مهمند", "Shinwari=شینواری", "Safi=صافی", "Sultani=سلطانی",
    "Kohistani=کوهستانی", "Panjshiri=پنجشیری", "Omari=عمری", "Akhundzada|Akhundzadah=آخندزاده",
    "Mujahid=مجاهد", "Samadi=صمدی", "Faizi=فیضی", "Ahmadzai=احمدزی", "Hotak=هوتک",
    "Niazi=نیازی", "Jalali=جلالی",
};

static const char *const persian_male[] = {
    "Mohammad|Mohammed|Muhammad=محمد", "Ali=علی", "Hossein|Hussein|Hosein=حسین",
    "Reza|Raza=رضا", "Mehdi|Mahdi=مهدی", "Hassan|Hasan=حسن", "Mahmoud|Mahmood=محمود",
    "Javad|Jawad=جواد", "Ebrahim|Ibrahim=ابراهیم", "Saeed|Said=سعید", "Morteza|Murtaza=مرتضی",
    "Mojtaba=مجتبی", "Amir=امیر", "Abolfazl|Abulfazl=ابوالفضل", "Majid=مجید", "Farhad=فرهاد",
    "Behrouz|Behruz=بهروز", "Dariush|Daryoush=داریوش", "Gholamreza|Gholam Reza=غلامرضا",
    "Ghasem|Qasem=قاسم", "Esmail|Ismail=اسماعیل", "Hamid|Hamed=حمید", "Masoud|Masud=مسعود",
};

static const char *const persian_female[] = {
    "Fatemeh|Fatima=فاطمه", "Zahra=زهرا", "Maryam=مریم", "Masoumeh=معصومه",
    "Zeinab|Zaynab=زینب", "Sakineh=سکینه", "Narges=نرگس",
};

static const char *const persian_family[] = {
    "Hosseini|Husseini=حسینی", "Ahmadi=احمدی", "Mohammadi=محمدی", "Rezaei|Rezai=رضایی",
    "Karimi=کریمی", "Rahimi=رحیمی", "Jafari=جعفری", "Sadeghi|Sadeqi=صادقی",
    "Mousavi|Musavi=موسوی", "Hashemi=هاشمی", "Rahmani=رحمانی", "Habibi=حبیبی",
    "Azizi=عزیزی", "Ghorbani|Qorbani=قربانی", "Heidari|Haidari=حیدری", "Akbari=اکبری",
    "Nazari=نظری", "Amiri=امیری", "Safavi=صفوی", "Tehrani=تهرانی", "Shirazi=شیرازی",
    "Esfahani|Isfahani=اصفهانی", "Soleimani|Sulaimani=سلیمانی", "Kazemi=کاظمی",
};

/* ---- Pakistan -------------------------------------------------------------- */

static const char *const pak_male[] = {
    "Muhammad|Mohammad|Mohammed=محمد", "Imran=عمران", "Tariq=طارق", "Asif=آصف", "Bilal=بلال",
    "Usman|Osman=عثمان", "Zahid=زاہد", "Khalid=خالد", "Shahid=شاہد", "Faisal=فیصل",
    "Naveed|Navid=نوید", "Rashid|Rasheed=رشید", "Abdul Rehman|Abdur Rehman|Abdul Rahman=عبدالرحمن",
    "Hafeez|Hafiz=حفیظ", "Saeed|Sayeed=سعید", "Ahmed|Ahmad=احمد", "Ali=علی", "Hamza=حمزہ",
    "Umar|Omar=عمر", "Adnan=عدنان", "Arshad=ارشد", "Javed|Javaid=جاوید", "Nadeem|Nadim=ندیم",
    "Irfan=عرفان", "Kamran=کامران", "Waqar=وقار", "Waseem|Wasim=وسیم", "Aamir|Amir=عامر",
    "Sajid=ساجد", "Masood|Masud=مسعود", "Azhar=اظہر", "Ilyas=الیاس", "Hakimullah=حکیم اللہ",
    "Noor Wali=نور ولی", "Qasim=قاسم",
};

static const char *const pak_female[] = {
    "Ayesha|Aisha=عائشہ", "Fatima=فاطمہ", "Sana=ثنا", "Saima=صائمہ", "Nazia=نازیہ",
    "Bushra=بشریٰ", "Rabia=رابعہ", "Sadia=سعدیہ", "Hina=حنا", "Shazia=شازیہ",
};

static const char *const pak_family[] = {
    "Khan=خان", "Ahmed=احمد", "Hussain|Hussein|Husain=حسین", "Ali=علی", "Shah=شاہ",
    "Malik=ملک", "Qureshi|Qurashi=قریشی", "Butt=بٹ", "Chaudhry|Chaudhary|Choudhry=چوہدری",
    "Mehsud|Mahsud=محسود", "Afridi=آفریدی", "Yousafzai|Yusufzai=یوسفزئی", "Wazir=وزیر",
    "Khattak=خٹک", "Baloch|Baluch=بلوچ", "Sheikh|Shaikh=شیخ", "Siddiqui|Siddiqi=صدیقی",
    "Rehman|Rahman=رحمان", "Iqbal=اقبال", "Awan=اعوان", "Abbasi=عباسی", "Mirza=مرزا",
    "Bhatti=بھٹی", "Aslam=اسلم", "Anwar=انور", "Hashmi=ہاشمی", "Gilani|Gillani=گیلانی",
    "Memon=میمن", "Dawar=داوڑ", "Bangash=بنگش", "Orakzai=اورکزئی", "Raza=رضا",
};

/* ---- Somali (Latin script; the Somali orthography is a variant) ----------- */

static const char *const somali_male[] = {
    "Mohamed|Mohammed|Maxamed", "Ahmed|Axmed|Ahmad", "Abdi|Cabdi", "Hassan|Xasan|Hasan",
    "Ali|Cali", "Abdullahi|Cabdullaahi|Abdillahi", "Omar|Cumar", "Hussein|Xuseen|Husein",
    "Yusuf|Yuusuf", "Ibrahim|Ibraahim", "Farah|Faarax", "Abdirahman|Cabdiraxmaan|Abdulrahman",
    "Abdulkadir|Cabdulqaadir|Abdikadir", "Osman|Cismaan", "Ismail|Ismaaciil", "Aden|Aadan",
    "Mohamud|Maxamuud|Mahmoud", "Warsame|Warsama", "Jama|Jaamac", "Nur|Nuur", "Abdiaziz|Cabdicasiis",
    "Said|Saciid", "Hirsi|Xirsi", "Dahir|Daahir", "Guled|Guuleed", "Bashir|Bashiir",
    "Abdiweli|Cabdiwali", "Adan|Aadan", "Elmi|Cilmi", "Muse|Muuse", "Isse|Ciise",
    "Abdiqani|Cabdiqani", "Sheikh|Sheekh", "Kahin|Kaahin", "Yasin|Yaasiin",
};

static const char *const somali_female[] = {
    "Fadumo|Faadumo|Fatuma", "Hodan|Hodon", "Amina|Aamina", "Halima|Xaliimo", "Asha|Aasha",
    "Khadija|Khadiija", "Sahra|Saxra", "Maryan|Maryam", "Ubah|Ubax", "Sagal|Sagal",
};

/* ---- Sahel: Hausa, Kanuri, Fulani, Songhai, Bambara ----------------------- */

static const char *const sahel_male[] = {
    "Abubakar|Abubakr|Aboubakar|Boubacar", "Muhammadu|Mohammed|Mamadou", "Musa|Moussa",
    "Ibrahim|Ibrahima", "Usman|Ousmane|Usmanu", "Aliyu|Aliou", "Bello", "Sani", "Garba",
    "Yusuf|Youssouf", "Umar|Oumar", "Haruna|Harouna", "Lawal|Lawan", "Adamu|Adama",
    "Suleiman|Souleymane|Sulaiman", "Idris|Idrissa", "Abdullahi|Abdoulaye", "Ahmadu|Amadou|Hamadou",
    "Bakary|Bakari", "Issa|Issaka", "Ismaila|Ismail", "Mustapha|Moustapha", "Kabiru|Kabir",
    "Nuhu", "Tijani|Tidiane", "Bashir|Bachir", "Shuaibu|Chouaibou", "Yakubu|Yacouba",
    "Modu", "Bukar|Boukar", "Danladi", "Mamman",
};

static const char *const sahel_female[] = {
    "Aisha|Aishatu|Aissata", "Fatima|Fatimata|Fatou", "Hauwa", "Zainab|Zeinabou",
    "Hadiza|Hadizatou", "Maryam|Mariama", "Amina|Aminata", "Hafsat|Hafsatou", "Binta",
    "Kadidia|Kadijatou",
};

static const char *const sahel_family[] = {
    "Abdullahi", "Mohammed", "Bello", "Usman", "Sule", "Adamu", "Idris", "Ahmadu",
    "Yakubu", "Tanko", "Shehu", "Gambo", "Umar", "Musa", "Ibrahim",
    "Diallo|Jallo", "Ba|Bah", "Sow", "Barry|Bari", "Traoré|Traore", "Touré|Toure",
    "Cissé|Cisse", "Maïga|Maiga", "Keïta|Keita", "Koné|Kone", "Coulibaly|Kulibali",
    "Sidibé|Sidibe", "Dicko|Dikko", "Sangaré|Sangare", "Ag Mohamed|Ag Mohammed",
    "Ould Mohamed|Ould Mohammed", "Kyari", "Modu", "Goni",
};

/* ---- Turkish -------------------------------------------------------------- */

static const char *const turkish_male[] = {
    "Mehmet|Mehmed", "Mustafa", "Ahmet|Ahmed", "Ali", "Hüseyin|Huseyin", "Hasan", "İbrahim|Ibrahim",
    "İsmail|Ismail", "Osman", "Yusuf", "Murat", "Ömer|Omer", "Ramazan", "Halil", "Süleyman|Suleyman",
    "Abdullah", "Mahmut|Mahmud", "Recep", "Fatih", "Emre", "Burak", "Kemal", "Serkan", "Yakup|Yakub",
    "Abdurrahman", "Muhammed|Muhammet", "Hakan", "Erdal", "Orhan",
};

static const char *const turkish_female[] = {
    "Fatma", "Ayşe|Ayse", "Emine", "Hatice", "Zeynep", "Elif", "Meryem", "Şeyma|Seyma",
};

static const char *const turkish_family[] = {
    "Yılmaz|Yilmaz", "Kaya", "Demir", "Şahin|Sahin", "Çelik|Celik", "Yıldız|Yildiz",
    "Yıldırım|Yildirim", "Öztürk|Ozturk", "Aydın|Aydin", "Özdemir|Ozdemir", "Arslan", "Doğan|Dogan",
    "Kılıç|Kilic", "Aslan", "Çetin|Cetin", "Kara", "Koç|Koc", "Kurt", "Özkan|Ozkan", "Şimşek|Simsek",
    "Polat", "Korkmaz", "Erdoğan|Erdogan", "Güneş|Gunes", "Acar", "Bulut", "Keskin", "Ünal|Unal",
};

/* ---- Kurdish -------------------------------------------------------------- */

static const char *const kurdish_male[] = {
    "Ahmad|Ahmed", "Kawa|Kaveh", "Hiwa|Hewa", "Rebwar|Ribwar", "Shwan|Shuan", "Karwan", "Dilshad",
    "Aram", "Sherko|Shirko", "Azad", "Goran", "Bakhtiyar|Bakhtiar", "Hemin", "Sirwan", "Zana",
    "Ari", "Soran", "Hoshyar|Hoshiar", "Salar", "Mahmud|Mahmood", "Omer|Omar", "Abdulla|Abdullah",
};

static const char *const kurdish_female[] = {
    "Shilan", "Nasrin", "Rojda", "Avin", "Berivan", "Hevi|Hevin", "Zilan",
};

static const char *const kurdish_family[] = {
    "Hamad", "Mahmoud|Mahmud", "Rashid", "Aziz", "Karim", "Baban", "Jaff|Jaf", "Zebari",
    "Doski", "Hawrami", "Sindi", "Mizuri", "Harki", "Rasul|Rasool", "Salih|Saleh", "Qadir|Kadir",
    "Amin", "Barzinji", "Hawezi", "Surchi",
};

/* ---- Caucasus, Russia, Central Asia (with Cyrillic) ----------------------- */

static const char *const chechen_male[] = {
    "Magomed|Mohammed=Магомед", "Ruslan=Руслан", "Akhmed|Ahmed=Ахмед", "Islam=Ислам",
    "Rustam=Рустам", "Aslan=Аслан", "Adam=Адам", "Umar|Umarr=Умар", "Said|Seid=Саид",
    "Khamzat|Hamzat=Хамзат", "Shamil=Шамиль", "Zelimkhan|Zelimhan=Зелимхан", "Movsar=Мовсар",
    "Rizvan|Rizwan=Ризван", "Aslambek=Асламбек", "Apti=Апти", "Arbi=Арби", "Ibragim|Ibrahim=Ибрагим",
    "Abdulla|Abdullah=Абдулла", "Gadzhi|Hadji=Гаджи", "Murad=Мурад", "Ramzan=Рамзан",
    "Timur=Тимур", "Khasan|Hasan=Хасан",
};

static const char *const chechen_female[] = {
    "Kheda|Heda=Хеда", "Zarema=Зарема", "Madina=Мадина", "Aminat=Аминат", "Patimat=Патимат",
    "Luiza=Луиза", "Malika=Малика", "Zaira=Заира",
};

static const char *const chechen_family[] = {
    "Magomedov=Магомедов", "Abdulayev|Abdulaev=Абдулаев", "Akhmedov|Ahmedov=Ахмедов",
    "Gadzhiyev|Gadzhiev=Гаджиев", "Aliyev|Aliev=Алиев", "Ibragimov=Ибрагимов",
    "Musayev|Musaev=Мусаев", "Yusupov|Yusupov=Юсупов", "Israilov=Исраилов", "Khasanov|Hasanov=Хасанов",
    "Saidov=Саидов", "Umarov=Умаров", "Mutsayev|Mutsaev=Муцаев", "Edilov=Эдилов",
    "Temirkhanov=Темирханов", "Dadayev|Dadaev=Дадаев", "Tsurov=Цуров", "Batalov=Баталов",
    "Omarov=Омаров", "Gasanov=Гасанов", "Kurbanov=Курбанов", "Abubakarov=Абубакаров",
};

static const char *const russian_male[] = {
    "Aleksandr|Alexander|Alexandr=Александр~Sasha", "Sergey|Sergei=Сергей~Seryozha",
    "Dmitry|Dmitriy|Dmitri=Дмитрий~Dima", "Andrey|Andrei=Андрей", "Aleksey|Alexei|Alexey=Алексей~Lyosha",
    "Ivan=Иван~Vanya", "Maksim|Maxim=Максим", "Vladimir=Владимир~Volodya", "Nikolay|Nikolai=Николай~Kolya",
    "Mikhail=Михаил~Misha", "Yevgeny|Evgeny|Evgeniy=Евгений~Zhenya", "Pavel=Павел~Pasha",
    "Oleg=Олег", "Igor=Игорь", "Artyom|Artem=Артём", "Roman=Роман", "Denis=Денис",
    "Viktor|Victor=Виктор", "Anton=Антон", "Vadim=Вадим", "Yury|Yuri|Yuriy=Юрий",
};

static const char *const russian_female[] = {
    "Yelena|Elena=Елена", "Olga=Ольга", "Natalya|Natalia=Наталья", "Tatyana|Tatiana=Татьяна",
    "Irina=Ирина", "Svetlana=Светлана", "Anna=Анна", "Mariya|Maria=Мария",
    "Yekaterina|Ekaterina=Екатерина",
};

static const char *const russian_family[] = {
    "Ivanov=Иванов", "Smirnov=Смирнов", "Kuznetsov=Кузнецов", "Popov=Попов",
    "Vasilyev|Vasiliev=Васильев", "Petrov=Петров", "Sokolov=Соколов", "Mikhaylov|Mikhailov=Михайлов",
    "Novikov=Новиков", "Fedorov|Fyodorov=Федоров", "Morozov=Морозов", "Volkov=Волков",
    "Alekseyev|Alekseev=Алексеев", "Lebedev=Лебедев", "Semyonov|Semenov=Семёнов",
    "Yegorov|Egorov=Егоров", "Pavlov=Павлов", "Kozlov=Козлов", "Stepanov=Степанов",
    "Nikolayev|Nikolaev=Николаев", "Orlov=Орлов", "Zaitsev|Zaytsev=Зайцев",
};

static const char *const central_male[] = {
    "Rustam=Рустам", "Jamshid|Dzhamshid=Джамшид", "Bakhtiyor|Bakhtiyar=Бахтиёр", "Sardor=Сардор",
    "Farrukh=Фаррух", "Otabek=Отабек", "Dilshod|Dilshod=Дилшод", "Shokhrukh|Shahrukh=Шохрух",
    "Sherzod=Шерзод", "Ulugbek=Улугбек", "Akmal=Акмал", "Bobur|Babur=Бобур",
    "Jakhongir|Jahongir=Жахонгир", "Timur=Тимур", "Abdulaziz=Абдулазиз", "Nurlan=Нурлан",
    "Azamat=Азамат", "Daniyar=Данияр", "Abdurakhmon|Abdurahmon=Абдурахмон", "Komil|Kamil=Комил",
};

static const char *const central_female[] = {
    "Gulnara=Гульнара", "Dilnoza=Дильноза", "Nodira=Нодира", "Zarina=Зарина",
    "Madina=Мадина", "Shahnoza|Shakhnoza=Шахноза",
};

static const char *const central_family[] = {
    "Karimov=Каримов", "Rakhimov|Rahimov=Рахимов", "Nazarov=Назаров", "Rasulov=Расулов",
    "Sharipov=Шарипов", "Kholmatov|Holmatov=Холматов", "Ergashev=Эргашев", "Mirzayev|Mirzaev=Мирзаев",
    "Tursunov=Турсунов", "Juraev|Dzhurayev=Жураев", "Abdullaev|Abdullayev=Абдуллаев",
    "Usmonov|Usmanov=Усмонов", "Azimov=Азимов", "Sobirov|Sabirov=Собиров", "Ismoilov|Ismailov=Исмоилов",
    "Sultonov|Sultanov=Султонов", "Nurmatov=Нурматов", "Kasymov|Kasimov=Касымов",
    "Tokhtarov|Tokhtarov=Тохтаров", "Alimov=Алимов",
};

/* ---- Chinese and Uyghur (Han characters; pinyin variants) ----------------- */

static const char *const chinese_given[] = {
    "Wei=伟", "Jun=军", "Lei=磊", "Yong=勇", "Jie=杰", "Tao=涛", "Ming=明", "Qiang=强",
    "Hao=浩", "Jian=建", "Bo=波", "Peng=鹏", "Xin=鑫", "Hui=辉", "Zhiqiang|Zhi Qiang|Zhi-Qiang=志强",
    "Jianguo|Jian Guo|Jian-Guo=建国", "Haiyang|Hai Yang=海洋", "Xiaoming|Xiao Ming=小明",
    "Guoqiang|Guo Qiang=国强", "Jianhua|Jian Hua=建华", "Wenjie|Wen Jie=文杰", "Yuxuan|Yu Xuan=宇轩",
    "Dong=东", "Gang=刚", "Chao=超", "Long=龙",
};

static const char *const chinese_female[] = {
    "Jing=静", "Li=丽", "Na=娜", "Fang=芳", "Min=敏", "Yan=燕", "Xiaohong|Xiao Hong=小红", "Hong=红",
};

static const char *const chinese_family[] = {
    "Wang=王", "Li|Lee=李", "Zhang|Chang=张", "Liu|Lau=刘", "Chen|Chan=陈", "Yang=杨",
    "Huang|Wong=黄", "Zhao|Chao=赵", "Wu|Ng=吴", "Zhou|Chou=周", "Xu|Hsu=徐", "Sun=孙",
    "Ma=马", "Zhu|Chu=朱", "Hu=胡", "Guo|Kuo=郭", "He|Ho=何", "Lin|Lam=林", "Gao|Kao=高",
    "Luo|Lo=罗", "Zheng|Cheng=郑", "Liang|Leung=梁", "Xie|Hsieh=谢", "Song=宋",
};

static const char *const uyghur_male[] = {
    "Memet|Mehmet|Maimaiti=买买提", "Abdurehim|Abdurahim|Abudureheman=阿不都热依木",
    "Tursun|Tuerxun=吐尔逊", "Ablimit|Abulimiti=阿不力米提", "Erkin|Aierken=艾尔肯",
    "Ekber|Akbar|Aikebaier=艾克拜尔", "Abduweli|Abuduwaili=阿不都外力", "Kurban|Kuerban=库尔班",
    "Nurmemet|Nuermaimaiti=努尔买买提", "Yasin|Yasen=亚森", "Ilham|Yilihamu=伊力哈木",
    "Alim|Alimu=阿力木", "Hasan|Hasen=哈森", "Ehmet|Ahmat|Aihemaiti=艾合买提",
    "Abdulla|Abudula=阿不都拉", "Adil|Adili=阿迪力", "Osman|Wusiman=吾斯曼", "Kadir|Kadeer=卡德尔",
    "Eli|Ali|Aili=艾力", "Rozi|Rouzi=肉孜",
};

static const char *const uyghur_female[] = {
    "Gulnar|Gulinaer=古丽娜尔", "Aygul|Ayigul=阿依古丽", "Mihray|Mihrigul=米日古丽",
    "Patigul|Patiguli=帕提古丽", "Rahile|Reyila=热依拉", "Gulbahar|Gulibahaer=古丽巴哈尔",
};

/* ---- Indonesia, Malaysia, Philippines ------------------------------------- */

static const char *const malay_male[] = {
    "Muhammad|Muhamad|Mohammad", "Ahmad|Achmad", "Abdul Halim", "Agus", "Budi", "Dedi|Dedy", "Eko",
    "Hendra", "Iwan", "Joko|Djoko", "Rudi|Rudy", "Slamet", "Sutrisno", "Yusuf|Yusup", "Imam",
    "Hasan|Hassan", "Taufik|Taufiq", "Nurdin|Noordin", "Amir", "Syaiful|Saiful", "Rizki|Rizky",
    "Fajar", "Bambang", "Wahyu", "Umar|Oemar", "Ali", "Zulkifli", "Ismail", "Abu Bakar|Abubakar",
};

static const char *const malay_female[] = {
    "Siti", "Nur|Noor", "Dewi", "Sri", "Putri", "Fitri|Fitria", "Rina", "Aisyah|Aishah",
};

static const char *const malay_family[] = {
    "Santoso", "Wijaya|Widjaja", "Saputra", "Hidayat", "Nugroho", "Setiawan", "Kurniawan",
    "Pratama", "Hakim", "Siregar", "Nasution", "Harahap", "Lubis", "Gunawan", "Susanto",
    "Sulaiman|Sulaeman", "Hasibuan", "Rahman", "Abdullah", "Ismail", "Ibrahim", "Hamzah",
    "Rosli", "Othman|Osman",
};

static const char *const filipino_male[] = {
    "Jose~Pepe", "Juan~Jun", "Mark", "John", "Michael", "Ronald~Ronnie", "Rodel", "Jomar",
    "Roberto~Bobby", "Eduardo~Eddie", "Ricardo~Carding", "Antonio~Tony", "Abdul", "Nasser",
    "Mohammad|Muhammad", "Khair", "Radzmil", "Abdulrahman|Abdul Rahman", "Alim", "Jainal",
    "Ahmad", "Benjamin~Benjie",
};

static const char *const filipino_female[] = {
    "Maria~Marie", "Ana", "Grace", "Rosalinda~Linda", "Norhana", "Fatima",
};

static const char *const filipino_family[] = {
    "Dela Cruz|Delacruz|de la Cruz", "Santos", "Reyes", "Garcia", "Bautista", "Mendoza",
    "Ramos", "Aquino", "Castro", "Villanueva", "Gonzales", "Fernandez", "Abdurajak",
    "Tahil", "Sali", "Jikiri", "Asali", "Hassan", "Abubakar", "Usman", "Amilhamja",
    "Salih", "Macarambon", "Alonto", "Lucman", "Indama",
};

/* ---- Western Europe and the Americas -------------------------------------- */

static const char *const french_male[] = {
    "Jean", "Pierre", "Michel", "Nicolas", "Thomas", "Julien", "Alexandre", "Mehdi", "Karim",
    "Yassine|Yacine", "Sofiane|Soufiane", "Bilal", "Hamza", "Kévin|Kevin", "Maxime", "Romain",
    "Mathieu|Matthieu", "Olivier", "Sébastien|Sebastien", "David", "Mohamed", "Abdelhakim",
};

static const char *const french_female[] = {
    "Marie", "Sophie", "Camille", "Émilie|Emilie", "Nadia", "Sarah", "Inès|Ines", "Laura",
};

static const char *const french_family[] = {
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre|Lefèvre", "Michel", "Garcia", "Benali", "Bouzid",
    "Mansouri", "Benyahia", "Cherif", "Boumediene", "Kaci", "Mebarki", "Girard", "Fontaine",
};

static const char *const spanish_male[] = {
    "José|Jose~Pepe", "Juan", "Antonio~Toño", "Manuel~Manolo", "Francisco~Paco", "David",
    "Javier", "Daniel", "Carlos", "Miguel", "Alejandro", "Jesús|Jesus~Chuy", "Rafael~Rafa",
    "Pedro", "Luis", "Jorge", "Fernando", "Sergio", "Pablo", "Iker", "Jon", "Mikel", "Aitor",
    "Hernán|Hernan",
};

static const char *const spanish_female[] = {
    "María|Maria", "Carmen", "Ana", "Laura", "Lucía|Lucia", "Isabel", "Ainhoa", "Marta",
};

static const char *const spanish_family[] = {
    "García|Garcia", "Rodríguez|Rodriguez", "González|Gonzalez", "Fernández|Fernandez",
    "López|Lopez", "Martínez|Martinez", "Sánchez|Sanchez", "Pérez|Perez", "Gómez|Gomez",
    "Martín|Martin", "Jiménez|Jimenez", "Ruiz", "Hernández|Hernandez", "Díaz|Diaz", "Moreno",
    "Muñoz|Munoz", "Álvarez|Alvarez", "Romero", "Alonso", "Gutiérrez|Gutierrez", "Torres",
    "Ramírez|Ramirez", "Etxeberria|Echeverría|Echeverria", "Agirre|Aguirre", "Goikoetxea",
    "Zubizarreta", "Vargas", "Castillo",
};

static const char *const english_male[] = {
    "John~Jack", "David~Dave", "Michael~Mike", "James~Jim", "Robert~Bob", "William~Bill",
    "Richard~Rick", "Thomas~Tom", "Daniel~Dan", "Paul", "Mark", "Steven|Stephen~Steve",
    "Christopher~Chris", "Matthew~Matt", "Andrew~Andy", "Joseph~Joe", "Ryan", "Jack",
    "Anthony~Tony", "Jason", "Adam", "Omar",
};

static const char *const english_female[] = {
    "Sarah", "Emma", "Lisa", "Jessica~Jess", "Emily", "Samantha~Sam", "Rachel", "Elizabeth~Liz",
};

static const char *const english_family[] = {
    "Smith", "Jones", "Williams", "Brown", "Taylor", "Davies|Davis", "Wilson", "Evans",
    "Johnson", "Thomas", "Roberts", "Walker", "Wright", "Robinson", "Thompson", "White",
    "Hughes", "Edwards", "Green", "Hall", "Wood", "Harris", "Clarke|Clark", "Miller",
    "Murphy", "O'Brien|OBrien", "Kelly", "Campbell", "Stewart|Stuart", "Anderson",
};

static const char *const german_male[] = {
    "Thomas", "Michael", "Andreas", "Stefan|Stephan", "Christian", "Markus|Marcus", "Daniel",
    "Alexander", "Sebastian", "Tobias", "Jan", "Florian", "Lukas|Lucas", "Jürgen|Juergen",
    "Klaus", "Uwe", "Dieter", "Dennis",
};

static const char *const german_female[] = {
    "Sabine", "Julia", "Katharina", "Anna", "Andrea", "Stefanie",
};

static const char *const german_family[] = {
    "Müller|Mueller", "Schmidt|Schmitt", "Schneider", "Fischer", "Weber", "Meyer|Meier",
    "Wagner", "Becker", "Schulz", "Hoffmann|Hofmann", "Schäfer|Schaefer", "Koch", "Bauer",
    "Richter", "Klein", "Wolf", "Schröder|Schroeder", "Neumann", "Schwarz", "Zimmermann",
    "Braun", "Krüger|Krueger", "Hartmann", "Lange", "Werner",
};

/* ---- Balkans (Bosnian, Albanian, Serbian, Macedonian) --------------------- */

static const char *const balkan_male[] = {
    "Adnan", "Emir", "Amir", "Kemal", "Mirza", "Nermin", "Haris", "Edin", "Senad",
    "Dženan|Dzenan|Dzhenan", "Armin", "Besnik", "Arben", "Lavdrim", "Driton", "Fatmir", "Ilir",
    "Valon", "Blerim", "Bujar", "Nikola=Никола", "Marko=Марко", "Dragan=Драган",
    "Goran=Горан", "Milan=Милан", "Zoran=Зоран",
};

static const char *const balkan_female[] = {
    "Amra", "Lejla|Leila", "Selma", "Aida", "Arta", "Blerta", "Jelena=Јелена", "Ana=Ана",
};

static const char *const balkan_family[] = {
    "Hodžić|Hodzic|Hodzhich", "Hadžić|Hadzic", "Kovačević|Kovacevic", "Delić|Delic",
    "Begić|Begic", "Mehmedović|Mehmedovic", "Hasanović|Hasanovic", "Mujić|Mujic",
    "Ibrahimović|Ibrahimovic", "Krasniqi|Krasniki", "Gashi", "Berisha", "Morina", "Hoxha|Hodja",
    "Shala", "Bytyqi|Bytyci", "Kelmendi", "Hasani", "Rama", "Jovanović|Jovanovic=Јовановић",
    "Petrović|Petrovic=Петровић", "Nikolić|Nikolic=Николић", "Marković|Markovic=Марковић",
    "Đorđević|Djordjevic|Dordevic=Ђорђевић", "Stojanović|Stojanovic=Стојановић", "Ahmeti",
    "Xhaferi|Dzaferi", "Memeti",
};

/* ---- cultures ------------------------------------------------------------- */

const ctw__synth_list ctw__synth_arabic_male = LIST(arabic_male);

/* Weights follow the make-up of real counter-terrorism lists (UN 1267/1988,
 * national lists, notices), not world population. */
const ctw__synth_culture ctw__synth_cultures[] = {
    {"arabic", 27, CTW__ST_ARABIC, LIST(arabic_male), LIST(arabic_female), LIST(arabic_family),
     "iq:20 sy:18 sa:8 ye:10 eg:8 ly:6 tn:7 dz:5 ma:6 jo:5 lb:4 ps:3 kw:3 sd:3", NULL,
     "Sheikh|Hajji|Ustadh|Dr.|Emir", "al-Muhajir|al-Ansari|al-Kabir|the Engineer|the Doctor|al-Amir",
     8, 45, 40, 3, 0},
    {"afghan", 9, CTW__ST_AFGHAN, LIST(afghan_male), LIST(afghan_female), LIST(afghan_family),
     "af:90 pk:10", NULL, "Mullah|Maulavi|Qari|Haji|Mawlawi|Commander", "Commander|Ustad|Akhund",
     3, 35, 10, 2, 0},
    {"persian", 3, CTW__ST_PERSIAN, LIST(persian_male), LIST(persian_female), LIST(persian_family),
     "ir:90 iq:5 af:5", NULL, "Haj|Seyed|Sardar", NULL, 10, 40, 3, 2, 0},
    {"pakistani", 8, CTW__ST_PAKISTANI, LIST(pak_male), LIST(pak_female), LIST(pak_family),
     "pk:90 af:5 gb:5", NULL, "Hafiz|Maulana|Mufti|Qari|Haji", "Commander|Ustad", 5, 25, 12, 2, 0},
    {"somali", 5, CTW__ST_SOMALI, LIST(somali_male), LIST(somali_female), {NULL, 0},
     "so:75 ke:15 et:5 gb:3 us:2", NULL, "Sheikh|Ustaad|Haji", "Gaab|Dheere|Yare|Cagaweyne", 10, 0,
     20, 2, 0},
    {"sahel", 6, CTW__ST_SAHEL, LIST(sahel_male), LIST(sahel_female), LIST(sahel_family),
     "ng:40 ne:12 ml:14 bf:10 td:6 cm:6 sn:4 gn:4 mr:4", NULL, "Mallam|Alhaji|Imam|Ustaz",
     "al-Barnawi|al-Fulani|al-Sahrawi|al-Tuareg", 8, 0, 15, 2, 1},
    {"turkish", 4, CTW__ST_TURKIC, LIST(turkish_male), LIST(turkish_female), LIST(turkish_family),
     "tr:85 de:10 nl:5", NULL, "Hoca|Hacı", NULL, 8, 0, 8, 2, 1},
    {"kurdish", 3, CTW__ST_KURDISH, LIST(kurdish_male), LIST(kurdish_female), LIST(kurdish_family),
     "iq:45 sy:25 tr:20 ir:10", NULL, "Mamosta|Kak", NULL, 15, 0, 5, 1, 0},
    {"chechen", 5, CTW__ST_SLAVIC, LIST(chechen_male), LIST(chechen_female), LIST(chechen_family),
     "ru:75 ge:8 at:5 fr:4 de:4 be:2 az:2",
     "Grozny|Gudermes|Urus-Martan|Shali|Argun|Vedeno|Khasavyurt|Buynaksk|Derbent|Nazran|Makhachkala",
     "Emir|Amir", "al-Shishani|al-Dagestani|Seyfullah", 8, 45, 25, 2, 0},
    {"russian", 3, CTW__ST_SLAVIC, LIST(russian_male), LIST(russian_female), LIST(russian_family),
     "ru:90 ua:5 kz:5", NULL, NULL, NULL, 10, 55, 3, 2, 0},
    {"central-asian", 4, CTW__ST_SLAVIC, LIST(central_male), LIST(central_female),
     LIST(central_family), "uz:45 tj:25 kg:20 kz:10", NULL, "Domla|Qori", "al-Uzbeki|al-Tajiki",
     8, 40, 15, 1, 0},
    {"chinese", 2, CTW__ST_CHINESE, LIST(chinese_given), LIST(chinese_female), LIST(chinese_family),
     "cn:85 my:10 sg:5", NULL, NULL, NULL, 15, 60, 0, 1, 0},
    {"uyghur", 2, CTW__ST_UYGHUR, LIST(uyghur_male), LIST(uyghur_female), {NULL, 0},
     "cn:85 tr:10 kz:5", "Kashgar|Urumqi|Hotan|Aksu|Yarkand|Turpan|Ghulja|Korla|Kargilik",
     "Imam|Molla", "al-Turkistani", 10, 55, 15, 2, 0},
    {"malay", 5, CTW__ST_MALAY, LIST(malay_male), LIST(malay_female), LIST(malay_family),
     "id:75 my:20 sg:5", NULL, "Ustadz|Kyai|Haji", "Abu Dujana|Mustaqim|Hambali", 8, 0, 15, 2, 0},
    {"filipino", 3, CTW__ST_WESTERN, LIST(filipino_male), LIST(filipino_female),
     LIST(filipino_family), "ph:100", NULL, "Kumander|Ustadz", "Boy|Jun|Toto|Bong|Dodong|Kumander Bravo",
     8, 0, 8, 1, 0},
    {"french", 4, CTW__ST_WESTERN, LIST(french_male), LIST(french_female), LIST(french_family),
     "fr:80 be:15 ch:5", NULL, NULL, "al-Faransi|Abu Ibrahim", 12, 0, 15, 1, 1},
    {"spanish", 3, CTW__ST_SPANISH, LIST(spanish_male), LIST(spanish_female), LIST(spanish_family),
     "es:55 co:30 pe:15", NULL, "Comandante", "El Flaco|El Gordo|El Chino|El Negro|El Mono", 12, 0,
     3, 1, 1},
    {"english", 3, CTW__ST_WESTERN, LIST(english_male), LIST(english_female), LIST(english_family),
     "gb:45 us:35 au:8 ca:7 ie:5", NULL, NULL, "al-Britani|al-Amriki|Jihadi", 12, 0, 8, 1, 0},
    {"german", 2, CTW__ST_WESTERN, LIST(german_male), LIST(german_female), LIST(german_family),
     "de:80 at:12 ch:8", NULL, NULL, "al-Almani", 12, 0, 10, 1, 2},
    {"balkan", 4, CTW__ST_WESTERN, LIST(balkan_male), LIST(balkan_female), LIST(balkan_family),
     "ba:35 xk:25 al:15 mk:15 rs:10", NULL, "Imam|Hoxha", "al-Bosni|al-Albani|al-Kosovi", 8, 20,
     12, 1, 1},
};
const size_t ctw__synth_ncultures = sizeof ctw__synth_cultures / sizeof ctw__synth_cultures[0];

/* ---- countries ------------------------------------------------------------ */

const char ctw__synth_diaspora[] = "fr:20 gb:18 de:16 be:8 se:8 nl:7 us:7 ca:5 au:4 at:3 dk:2 tr:2";

const ctw__synth_country ctw__synth_countries[] = {
    {"iq", "al-Iraqi", "A99999999", "Baghdad|Mosul|Fallujah|Ramadi|Tikrit|Basra|Kirkuk|Samarra|Baqubah|Tal Afar|Haditha"},
    {"sy", "al-Suri", "N9999999", "Aleppo|Damascus|Homs|Hama|Idlib|Raqqa|Deir ez-Zor|Daraa|Latakia|al-Bab|Manbij"},
    {"sa", "al-Jazrawi", "a9999999", "Riyadh|Jeddah|Mecca|Medina|Dammam|Buraydah|Abha|Taif|Khamis Mushait|Hail"},
    {"ye", "al-Yemeni", "99999999", "Sanaa|Aden|Taiz|Mukalla|Marib|Ibb|Hodeidah|Shabwa|Abyan"},
    {"eg", "al-Masri", "A99999999", "Cairo|Alexandria|Giza|Asyut|Minya|Sohag|Mansoura|Port Said|Zagazig|Arish"},
    {"ly", "al-Libi", "a9999999", "Tripoli|Benghazi|Derna|Misrata|Sirte|Sabha|Ajdabiya|Zawiya"},
    {"tn", "al-Tunisi", "a9999999", "Tunis|Sfax|Sousse|Kairouan|Bizerte|Ben Guerdane|Kasserine|Gafsa|Sidi Bouzid"},
    {"dz", "al-Jazairi", "999999999", "Algiers|Oran|Constantine|Blida|Batna|Setif|Tizi Ouzou|Annaba|Djelfa"},
    {"ma", "al-Maghribi", "aa9999999", "Casablanca|Rabat|Fes|Marrakesh|Tangier|Tetouan|Meknes|Oujda|Agadir"},
    {"jo", "al-Urduni", "a9999999", "Amman|Zarqa|Irbid|Salt|Maan|Ramtha|Aqaba"},
    {"lb", "al-Lubnani", "RL999999", "Beirut|Tripoli|Sidon|Tyre|Baalbek|Nabatieh|Zahle"},
    {"ps", "al-Filistini", "9999999", "Gaza|Khan Younis|Rafah|Nablus|Jenin|Hebron|Ramallah|Tulkarm"},
    {"kw", "al-Kuwaiti", "K9999999", "Kuwait City|Jahra|Hawalli|Farwaniya"},
    {"sd", "al-Sudani", "P9999999", "Khartoum|Omdurman|Port Sudan|Kassala|Nyala|El Obeid"},
    {"af", "al-Afghani", "P99999999", "Kabul|Kandahar|Herat|Jalalabad|Khost|Ghazni|Kunduz|Mazar-i-Sharif|Lashkar Gah|Gardez|Qalat|Pul-e-Alam|Maidan Shahr|Asadabad|Tarin Kot"},
    {"ir", "al-Irani", "a99999999", "Tehran|Mashhad|Isfahan|Tabriz|Shiraz|Qom|Ahvaz|Zahedan|Kermanshah|Sanandaj"},
    {"pk", "al-Pakistani", "aa9999999", "Karachi|Lahore|Peshawar|Quetta|Rawalpindi|Islamabad|Faisalabad|Multan|Bannu|Miranshah|Wana|Dera Ismail Khan|Mingora|Khar"},
    {"so", "al-Somali", "P0999999", "Mogadishu|Kismayo|Baidoa|Beledweyne|Marka|Garowe|Bosaso|Galkayo|Hargeisa|Jilib|Barawe"},
    {"ke", "al-Kini", "AK9999999", "Nairobi|Mombasa|Garissa|Lamu|Mandera|Wajir"},
    {"et", "al-Habashi", "EP9999999", "Addis Ababa|Dire Dawa|Jijiga|Harar"},
    {"ng", "al-Nayjiri", "A99999999", "Maiduguri|Kano|Bauchi|Yola|Damaturu|Potiskum|Gombe|Sokoto|Zaria|Kaduna|Konduga|Gwoza|Bama"},
    {"ne", "al-Nijiri", "99aa99999", "Niamey|Diffa|Tillaberi|Agadez|Zinder|Maradi|Tahoua"},
    {"ml", "al-Mali", "aa9999999", "Bamako|Timbuktu|Gao|Kidal|Mopti|Segou|Menaka|Tessalit"},
    {"bf", "al-Burkini", "aa999999", "Ouagadougou|Djibo|Dori|Ouahigouya|Bobo-Dioulasso|Fada N'Gourma"},
    {"td", "al-Tshadi", "O9999999", "N'Djamena|Bol|Abeche|Mao"},
    {"cm", "al-Kamiruni", "aa999999", "Maroua|Kousseri|Mora|Garoua|Yaounde|Douala"},
    {"sn", "al-Sinighali", "A99999999", "Dakar|Thies|Saint-Louis|Touba|Kaolack"},
    {"gn", "al-Ghini", "a9999999", "Conakry|Labe|Kankan|Kindia"},
    {"mr", "al-Shinqiti", "a9999999", "Nouakchott|Nouadhibou|Atar|Kiffa"},
    {"tr", "al-Turki", "U99999999", "İstanbul|Ankara|İzmir|Gaziantep|Şanlıurfa|Diyarbakır|Adana|Konya|Bursa|Kilis|Hatay|Adıyaman"},
    {"ru", "al-Rusi", "999999999", "Moscow|St Petersburg|Kazan|Ufa|Makhachkala|Nalchik|Yekaterinburg|Novosibirsk|Rostov-on-Don|Krasnodar|Astrakhan|Saratov"},
    {"ua", "al-Ukrani", "aa999999", "Kyiv|Kharkiv|Odesa|Dnipro|Simferopol"},
    {"ge", "al-Shishani", "99aa99999", "Tbilisi|Duisi|Jokolo|Batumi|Kutaisi"},
    {"az", "al-Adhari", "C99999999", "Baku|Ganja|Sumqayit"},
    {"uz", "al-Uzbeki", "AA9999999", "Tashkent|Namangan|Andijan|Fergana|Samarkand|Bukhara|Kokand"},
    {"tj", "al-Tajiki", "A99999999", "Dushanbe|Khujand|Kulob|Bokhtar|Isfara"},
    {"kg", "al-Qirghizi", "AC9999999", "Bishkek|Osh|Jalal-Abad|Kara-Suu|Uzgen|Batken"},
    {"kz", "al-Kazakhi", "N99999999", "Almaty|Shymkent|Astana|Aktobe|Atyrau|Taraz"},
    {"cn", "al-Turkistani", "E99999999", "Beijing|Shanghai|Guangzhou|Kunming|Chengdu|Wuhan|Shenzhen|Harbin"},
    {"id", "al-Indunisi", "a9999999", "Jakarta|Surabaya|Bandung|Solo|Semarang|Lamongan|Poso|Makassar|Medan|Bima|Cirebon|Yogyakarta|Ambon|Serang"},
    {"my", "al-Maliziy", "A99999999", "Kuala Lumpur|Johor Bahru|Kota Bharu|Alor Setar|Kuala Terengganu|Sandakan|Tawau|Ipoh"},
    {"sg", "al-Singhafuri", "E9999999a", "Singapore"},
    {"ph", "al-Filibini", "P9999999a", "Manila|Quezon City|Zamboanga City|Jolo|Marawi|Cotabato City|Lamitan|Davao City|Isabela City|General Santos"},
    {"fr", "al-Faransi", "99aa99999", "Paris|Marseille|Lyon|Toulouse|Nice|Strasbourg|Lille|Roubaix|Trappes|Lunel|Nîmes|Saint-Denis|Sevran"},
    {"be", "al-Baljiki", "aa999999", "Brussels|Molenbeek-Saint-Jean|Antwerp|Vilvoorde|Verviers|Liège|Charleroi"},
    {"ch", "al-Swisri", "a9999999", "Zurich|Geneva|Basel|Winterthur"},
    {"es", "al-Isbani", "aaa999999", "Madrid|Barcelona|Ceuta|Melilla|Bilbao|San Sebastián|Pamplona|Valencia|Seville|Málaga|Vitoria-Gasteiz"},
    {"co", "al-Kolombi", "AO999999", "Bogotá|Medellín|Cali|Cúcuta|Barrancabermeja"},
    {"pe", "al-Piruani", "99999999", "Lima|Ayacucho|Huancayo|Cusco"},
    {"gb", "al-Britani", "999999999", "London|Birmingham|Manchester|Luton|Leeds|Bradford|Cardiff|Glasgow|Belfast|Portsmouth"},
    {"us", "al-Amriki", "999999999", "New York|Minneapolis|Chicago|Houston|Los Angeles|Detroit|Seattle|Denver|Phoenix|Atlanta"},
    {"au", "al-Ustrali", "Pa9999999", "Sydney|Melbourne|Brisbane|Perth|Adelaide"},
    {"ca", "al-Kanadi", "aa999999", "Toronto|Montreal|Calgary|Ottawa|Vancouver"},
    {"ie", "al-Irlandi", "aa9999999", "Dublin|Cork|Limerick|Galway"},
    {"de", "al-Almani", "Cxxxxxxxx", "Berlin|Hamburg|Munich|Cologne|Frankfurt am Main|Dinslaken|Bonn|Solingen|Wuppertal|Bremen|Hildesheim"},
    {"at", "al-Nimsawi", "P9999999", "Vienna|Graz|Linz|Salzburg"},
    {"nl", "al-Hulandi", "aa9999999", "Amsterdam|Rotterdam|The Hague|Utrecht|Delft"},
    {"se", "al-Swidi", "99999999", "Stockholm|Gothenburg|Malmö|Örebro"},
    {"dk", "al-Danimarki", "999999999", "Copenhagen|Aarhus|Odense"},
    {"ba", "al-Bosni", "a9999999", "Sarajevo|Zenica|Tuzla|Bihać|Mostar|Gornja Maoča|Travnik|Bugojno"},
    {"xk", "al-Kosovi", "P99999999", "Pristina|Prizren|Gjilan|Peja|Mitrovica|Ferizaj|Kaçanik"},
    {"al", "al-Albani", "aa9999999", "Tirana|Durrës|Elbasan|Shkodër|Cërrik|Pogradec"},
    {"mk", "al-Maqduni", "a9999999", "Skopje|Kumanovo|Tetovo|Gostivar|Struga"},
    {"rs", "al-Sirbi", "999999999", "Belgrade|Novi Pazar|Niš|Novi Sad|Tutin|Sjenica"},
};
const size_t ctw__synth_ncountries = sizeof ctw__synth_countries / sizeof ctw__synth_countries[0];

const ctw__synth_country *ctw__synth_country_get(const char *code, size_t len)
{
    for (size_t i = 0; i < ctw__synth_ncountries; i++)
        if (strlen(ctw__synth_countries[i].code) == len && memcmp(ctw__synth_countries[i].code, code, len) == 0)
            return &ctw__synth_countries[i];
    return NULL;
}
